package custommain

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

func TestSpawn(t *testing.T) { Spawn() }
