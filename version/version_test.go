package version

import (
	"runtime/debug"
	"testing"
)

func TestFromBuild(t *testing.T) {
	vcs := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-25T18:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	tagged := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}
	tests := []struct {
		name                  string
		bi                    *debug.BuildInfo
		version, commit, date string
		want                  Info
		line                  string
	}{
		{"ldflags win over the toolchain's stamp", vcs, "v1.2.0", "feedface", "2026-11-01",
			Info{Version: "v1.2.0", Commit: "feedface", Date: "2026-11-01", Go: "go1.26.8"},
			"stackfit v1.2.0 (commit feedface, built 2026-11-01, go1.26.8)"},
		{"a build from a work tree", vcs, "", "", "",
			Info{Version: "devel", Commit: "0123456789abcdef0123", Date: "2026-11-25T18:00:00Z", Go: "go1.26.8", Modified: true},
			"stackfit devel (commit 0123456789ab, modified, built 2026-11-25T18:00:00Z, go1.26.8)"},
		{"go install of a tagged module", tagged, "", "", "",
			Info{Version: "v1.4.0", Commit: "unknown", Date: "unknown", Go: "go1.26.8"},
			"stackfit v1.4.0 (commit unknown, built unknown, go1.26.8)"},
		{"no build information", nil, "", "", "",
			Info{Version: "devel", Commit: "unknown", Date: "unknown"},
			"stackfit devel (commit unknown, built unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fromBuild(tt.bi, tt.version, tt.commit, tt.date)
			if got != tt.want {
				t.Errorf("fromBuild = %+v, want %+v", got, tt.want)
			}
			if got.String() != tt.line {
				t.Errorf("String() = %q, want %q", got.String(), tt.line)
			}
		})
	}
}
