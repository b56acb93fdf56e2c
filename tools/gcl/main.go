// Command golangci-lint is golangci-lint v2 with leakvet's module plugin
// compiled in: the binary `golangci-lint custom` would build from
// .custom-gcl.yml, built offline from pinned module versions instead of a
// clone of golangci-lint's repository.
//
//	cd tools/gcl && go build -o golangci-lint-leakvet .
//
// The version string is left empty on purpose: golangci-lint then salts
// its analysis cache with the hash of this binary, so rebuilding it with a
// changed plugin never serves results cached by the old one. (A release
// version string would be used as the salt as is.)
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/leakvet/leakvet/plugin" // registers leakvet and leakvet-NAME
)

func main() {
	info := commands.BuildInfo{Version: "", Commit: "leakvet plugin", Date: ""}
	if bi, ok := debug.ReadBuildInfo(); ok {
		info.GoVersion = bi.GoVersion
	}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
