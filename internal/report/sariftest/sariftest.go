// Package sariftest checks SARIF output in tests: it validates a log
// against the SARIF 2.1.0 schema it holds, and walks the decoded JSON. It
// is for the tests of cmd/leakvet, internal/report and internal/verify,
// which write SARIF; no program imports it.
package sariftest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The SARIF 2.1.0 schema (OASIS errata 01), as vendored by
// github.com/securego/gosec/v2 v2.29.0 in report/sarif/testdata.
//
//go:embed testdata/sarif-schema-2.1.0.json
var schemaJSON []byte

// Validate fails the test unless data is a SARIF 2.1.0 log that validates
// against the schema, and returns it decoded.
func Validate(t *testing.T, data []byte) map[string]any {
	t.Helper()
	schema, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema: %v", err)
	}
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// JPath walks a decoded JSON value: strings index objects, ints arrays.
// It fails the test where a key cannot index the value it meets (a
// missing object key yields nil).
func JPath(t *testing.T, v any, keys ...any) any {
	t.Helper()
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %q", keys, k)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no element %d", keys, k)
			}
			v = a[k]
		}
	}
	return v
}
