//go:build unix

package store

import (
	"fmt"
	"os"
	"syscall"
)

// chownLike gives path the owner of like when running as root, so that a
// database root restores for a service user stays readable by that user.
// Anyone else can only create files they own, which is what they want.
func chownLike(path, like string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	fi, err := os.Stat(like)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if err := os.Chown(path, int(st.Uid), int(st.Gid)); err != nil {
		return fmt.Errorf("give %s the owner of %s: %w", path, like, err)
	}
	return nil
}
