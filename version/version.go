// Package version tells which build of stackfit is running: the version,
// commit and build date a release build sets with -ldflags, or else what the
// Go toolchain recorded in the binary (module version, VCS revision and time).
package version

import (
	"runtime/debug"
	"sync"
)

// Set by release builds:
//
//	go build -ldflags "-X stackfit/version.version=v1.2.0 -X stackfit/version.commit=$(git rev-parse HEAD) -X stackfit/version.date=$(date -u +%FT%TZ)"
var version, commit, date string

// Info is the running build. Its JSON is part of /healthz.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
	// Modified is true when the build came from a work tree with
	// uncommitted changes (known only from the toolchain's VCS stamp).
	Modified bool `json:"modified,omitempty"`
}

// Get returns the running build, read once.
var Get = sync.OnceValue(func() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, version, commit, date)
})

// fromBuild fills what -ldflags left empty from the build information.
func fromBuild(bi *debug.BuildInfo, version, commit, date string) Info {
	info := Info{Version: version, Commit: commit, Date: date}
	if bi != nil {
		info.Go = bi.GoVersion
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				info.Modified = s.Value == "true" && commit == ""
			}
		}
	}
	if info.Version == "" {
		info.Version = "devel"
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.Date == "" {
		info.Date = "unknown"
	}
	return info
}

// String is the one line `stackfit version` prints.
func (i Info) String() string {
	s := "stackfit " + i.Version + " (commit " + shortCommit(i.Commit)
	if i.Modified {
		s += ", modified"
	}
	s += ", built " + i.Date
	if i.Go != "" {
		s += ", " + i.Go
	}
	return s + ")"
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
