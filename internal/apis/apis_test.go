package apis_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/apis"
)

// TestTableResolves checks that every entry of the table names an object
// that exists, against a package importing all the table's packages.
func TestTableResolves(t *testing.T) {
	t.Parallel()
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	var table *apis.Table
	probe := &analysis.Analyzer{
		Name: "probe",
		Doc:  "builds the apis table",
		Run: func(pass *analysis.Pass) (any, error) {
			table = apis.New(pass.Pkg)
			return nil, nil
		},
	}
	analysistest.Run(t, testdata, probe, "apis/all")
	if table == nil {
		t.Fatal("probe did not run")
	}
	if m := table.Missing(); len(m) > 0 {
		t.Errorf("table entries not found in their packages: %v", m)
	}
	if table.Empty() {
		t.Error("table is empty for a package importing context")
	}
}
