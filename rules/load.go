package rules

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxOptions bounds a question's options so that an answer fits in a uint64 mask.
const maxOptions = 64

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// The file as written. yaml.Node fields keep line numbers for messages.
type rawFile struct {
	Decision yaml.Node   `yaml:"decision"`
	Topics   []yaml.Node `yaml:"topics"`
	Sections []yaml.Node `yaml:"sections"`
	Criteria []yaml.Node `yaml:"criteria"`
	Rules    []yaml.Node `yaml:"rules"`
}

// loader collects every problem in the file, so that one run shows them all.
type loader struct {
	file string
	errs []error
}

func (l *loader) errorf(line int, what, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if what != "" {
		msg = what + ": " + msg
	}
	l.errs = append(l.errs, fmt.Errorf("%s:%d: %s", l.file, line, msg))
}

// decode decodes a mapping node into out, refusing keys that out does not know,
// since a misspelt key would otherwise be silently ignored.
func (l *loader) decode(n *yaml.Node, what string, out any, keys ...string) bool {
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, what, "expected a mapping with %s", strings.Join(keys, ", "))
		return false
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(keys, k.Value) {
			l.errorf(k.Line, what, "unknown field %q (expected one of %s)", k.Value, strings.Join(keys, ", "))
			ok = false
		}
	}
	if err := n.Decode(out); err != nil {
		l.errorf(n.Line, what, "%s", yamlMessage(err))
		return false
	}
	return ok
}

// yamlMessage strips yaml's own "yaml: line N:" prefixes; our messages carry the line.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// Load parses and validates a ruleset. name is used in messages ("file:line: ...").
// All problems are reported together, joined in one error.
func Load(name string, data []byte) (*Ruleset, error) {
	l := &loader{file: name}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		// yaml says "yaml: line 12: …"; make it "file:12: …" like every other message.
		msg := yamlMessage(err)
		var line int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
			return nil, fmt.Errorf("%s:%d:%s", name, line, strings.TrimPrefix(msg, fmt.Sprintf("line %d:", line)))
		}
		return nil, fmt.Errorf("%s: %s", name, msg)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s: the file is empty", name)
	}
	var raw rawFile
	if !l.decode(doc.Content[0], "", &raw, "decision", "topics", "sections", "criteria", "rules") {
		return nil, errors.Join(l.errs...)
	}
	sum := sha256.Sum256(data)
	rs := &Ruleset{
		Version:     hex.EncodeToString(sum[:])[:12],
		questionAt:  map[string]int{},
		criterionAt: map[string]int{},
		topicAt:     map[string]int{},
	}
	l.topics(rs, raw.Topics)
	l.sections(rs, raw.Sections)
	// The decision names questions (the gate, the mirror), so it comes after them.
	l.decision(rs, &raw.Decision)
	l.criteria(rs, raw.Criteria)
	l.rules(rs, raw.Rules)
	if len(l.errs) == 0 {
		// Only on an otherwise valid file: a rule dropped for an error would leave
		// its criterion and questions uncovered, and say so misleadingly.
		l.coverage(rs)
	}
	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	rs.index()
	return rs, nil
}

// checkID reports a missing, malformed or duplicate id; seen maps ids to their first line.
func (l *loader) checkID(line int, kind, id string, seen map[string]int) bool {
	switch {
	case id == "":
		l.errorf(line, kind, "missing id")
	case !idPattern.MatchString(id):
		l.errorf(line, fmt.Sprintf("%s %q", kind, id), "an id uses only a-z, 0-9, '_' and '-', starting with a letter or digit")
	case seen[id] != 0:
		l.errorf(line, fmt.Sprintf("%s %q", kind, id), "duplicate id (first at line %d)", seen[id])
	default:
		seen[id] = line
		return true
	}
	return false
}
