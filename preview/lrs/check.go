package lrs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

var (
	uuidPattern     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	iriPattern      = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^` + "`" + `]+$`)
	versionPattern  = regexp.MustCompile(`^1\.0(\.\d+)?$`)
	durationPattern = regexp.MustCompile(`^P(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$`)
	langPattern     = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)
)

func isIRI(s string) bool { return iriPattern.MatchString(s) }

// The properties xAPI 1.0.3 allows, by object.
var (
	statementKeys    = keys("id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version", "attachments", "objectType")
	subStatementKeys = keys("objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments")
	agentKeys        = keys("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member")
	verbKeys         = keys("id", "display")
	activityKeys     = keys("objectType", "id", "definition")
	definitionKeys   = keys("name", "description", "type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern", "choices", "scale", "source", "target", "steps")
	resultKeys       = keys("score", "success", "completion", "response", "duration", "extensions")
	scoreKeys        = keys("scaled", "raw", "min", "max")
	contextKeys      = keys("registration", "instructor", "team", "contextActivities", "revision", "platform", "language", "statement", "extensions")
	ctxActivityKeys  = keys("parent", "grouping", "category", "other")
	interactionTypes = keys("true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other")
)

func keys(list ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range list {
		m[k] = true
	}
	return m
}

// checker collects the problems of one statement, each with its path.
type checker struct{ problems []string }

func (c *checker) add(path, f string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(f, args...))
}

// Check lists what a conformant xAPI 1.0.3 LRS refuses in a statement (an
// empty list when nothing): a missing actor, verb or object, ids that are
// not UUIDs or IRIs, agents without exactly one identifier, properties
// xAPI does not define, values of the wrong type or out of range, and
// timestamps, durations and language tags that do not parse.
func Check(st map[string]any) []string {
	c := &checker{}
	c.statement("statement", st, statementKeys)
	return c.problems
}

func (c *checker) unknown(path string, m map[string]any, allowed map[string]bool) {
	var extra []string
	for k := range m {
		if !allowed[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		c.add(path+"."+k, "not a property xAPI defines")
	}
}

func (c *checker) object(path string, v any, required bool) (map[string]any, bool) {
	if v == nil {
		if required {
			c.add(path, "missing (required)")
		}
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		c.add(path, "not a JSON object")
	}
	return m, ok
}

func (c *checker) str(path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		c.add(path, "not a string")
	}
	return s, ok
}

func (c *checker) iri(path string, v any) {
	if s, ok := c.str(path, v); ok && !isIRI(s) {
		c.add(path, "%q is not an IRI", s)
	}
}

func (c *checker) uuid(path string, v any) {
	if s, ok := c.str(path, v); ok && !uuidPattern.MatchString(s) {
		c.add(path, "%q is not a UUID", s)
	}
}

func (c *checker) langMap(path string, v any) {
	m, ok := c.object(path, v, false)
	if !ok {
		return
	}
	for k, s := range m {
		if !langPattern.MatchString(k) {
			c.add(path, "%q is not a language tag", k)
		}
		if _, ok := s.(string); !ok {
			c.add(path+"."+k, "not a string")
		}
	}
}

func (c *checker) extensions(path string, v any) {
	m, ok := c.object(path, v, false)
	if !ok {
		return
	}
	for k := range m {
		if !isIRI(k) {
			c.add(path, "the key %q is not an IRI", k)
		}
	}
}

func (c *checker) timestamp(path string, v any) {
	s, ok := c.str(path, v)
	if !ok {
		return
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		c.add(path, "%q is not an ISO 8601 time with its time zone", s)
	}
}

func (c *checker) statement(path string, st map[string]any, allowed map[string]bool) {
	c.unknown(path, st, allowed)
	if id, ok := st["id"]; ok {
		c.uuid(path+".id", id)
	}
	c.actor(path+".actor", st["actor"], true)
	if v, ok := c.object(path+".verb", st["verb"], true); ok {
		c.unknown(path+".verb", v, verbKeys)
		if id, ok := v["id"]; !ok {
			c.add(path+".verb.id", "missing (required)")
		} else {
			c.iri(path+".verb.id", id)
		}
		if d, ok := v["display"]; ok {
			c.langMap(path+".verb.display", d)
		}
	}
	if o, ok := c.object(path+".object", st["object"], true); ok {
		c.statementObject(path+".object", o, allowed)
	}
	if r, ok := c.object(path+".result", st["result"], false); ok {
		c.result(path+".result", r)
	}
	if x, ok := c.object(path+".context", st["context"], false); ok {
		c.context(path+".context", x)
	}
	if t, ok := st["timestamp"]; ok {
		c.timestamp(path+".timestamp", t)
	}
	if t, ok := st["stored"]; ok {
		c.timestamp(path+".stored", t)
	}
	if v, ok := st["version"]; ok {
		if s, ok := c.str(path+".version", v); ok && !versionPattern.MatchString(s) {
			c.add(path+".version", "%q is not 1.0.x", s)
		}
	}
}

// actor checks an Agent or a Group.
func (c *checker) actor(path string, v any, required bool) {
	a, ok := c.object(path, v, required)
	if !ok {
		return
	}
	c.unknown(path, a, agentKeys)
	kind, _ := a["objectType"].(string)
	if t, ok := a["objectType"]; ok && t != "Agent" && t != "Group" {
		c.add(path+".objectType", "%v is not Agent or Group", t)
	}
	if n, ok := a["name"]; ok {
		c.str(path+".name", n)
	}
	ifis := 0
	if m, ok := a["mbox"]; ok {
		ifis++
		if s, ok := c.str(path+".mbox", m); ok && !strings.HasPrefix(s, "mailto:") {
			c.add(path+".mbox", "%q does not start with mailto:", s)
		}
	}
	if m, ok := a["mbox_sha1sum"]; ok {
		ifis++
		c.str(path+".mbox_sha1sum", m)
	}
	if m, ok := a["openid"]; ok {
		ifis++
		c.iri(path+".openid", m)
	}
	if m, ok := a["account"]; ok {
		ifis++
		if acc, ok := c.object(path+".account", m, true); ok {
			c.unknown(path+".account", acc, keys("homePage", "name"))
			if h, ok := acc["homePage"]; ok {
				c.iri(path+".account.homePage", h)
			} else {
				c.add(path+".account.homePage", "missing (required)")
			}
			if n, ok := acc["name"]; ok {
				c.str(path+".account.name", n)
			} else {
				c.add(path+".account.name", "missing (required)")
			}
		}
	}
	if kind == "Group" {
		if mem, ok := a["member"]; ok {
			list, ok := mem.([]any)
			if !ok {
				c.add(path+".member", "not an array")
			}
			for i, m := range list {
				c.actor(fmt.Sprintf("%s.member[%d]", path, i), m, true)
			}
		} else if ifis == 0 {
			c.add(path, "an anonymous Group needs members")
		}
		if ifis > 1 {
			c.add(path, "%d identifiers (mbox, mbox_sha1sum, openid, account); an Agent or Group has one", ifis)
		}
		return
	}
	if _, ok := a["member"]; ok {
		c.add(path+".member", "only a Group has members")
	}
	if ifis != 1 {
		c.add(path, "%d identifiers (mbox, mbox_sha1sum, openid, account); an Agent has exactly one", ifis)
	}
}

func (c *checker) statementObject(path string, o map[string]any, allowed map[string]bool) {
	kind := "Activity"
	if t, ok := o["objectType"]; ok {
		kind, _ = t.(string)
	}
	switch kind {
	case "Activity":
		c.unknown(path, o, activityKeys)
		if id, ok := o["id"]; ok {
			c.iri(path+".id", id)
		} else {
			c.add(path+".id", "missing (required)")
		}
		if d, ok := c.object(path+".definition", o["definition"], false); ok {
			c.definition(path+".definition", d)
		}
	case "Agent", "Group":
		c.actor(path, o, true)
	case "StatementRef":
		c.unknown(path, o, keys("objectType", "id"))
		c.uuid(path+".id", o["id"])
	case "SubStatement":
		if inner, ok := o["object"].(map[string]any); ok && inner["objectType"] == "SubStatement" {
			c.add(path+".object", "a SubStatement cannot hold another")
		}
		// id, stored, version and authority are not among its keys.
		c.statement(path, o, subStatementKeys)
	default:
		c.add(path+".objectType", "%v is not Activity, Agent, Group, StatementRef or SubStatement", o["objectType"])
	}
}

func (c *checker) definition(path string, d map[string]any) {
	c.unknown(path, d, definitionKeys)
	for _, k := range []string{"name", "description"} {
		if v, ok := d[k]; ok {
			c.langMap(path+"."+k, v)
		}
	}
	if v, ok := d["type"]; ok {
		c.iri(path+".type", v)
	}
	if v, ok := d["moreInfo"]; ok {
		c.iri(path+".moreInfo", v)
	}
	if v, ok := d["extensions"]; ok {
		c.extensions(path+".extensions", v)
	}
	if v, ok := d["interactionType"]; ok {
		if s, ok := c.str(path+".interactionType", v); ok && !interactionTypes[s] {
			c.add(path+".interactionType", "%q is not an xAPI interaction type", s)
		}
	}
	if v, ok := d["correctResponsesPattern"]; ok {
		list, ok := v.([]any)
		if !ok {
			c.add(path+".correctResponsesPattern", "not an array of strings")
		}
		for i, s := range list {
			c.str(fmt.Sprintf("%s.correctResponsesPattern[%d]", path, i), s)
		}
	}
	for _, k := range []string{"choices", "scale", "source", "target", "steps"} {
		v, ok := d[k]
		if !ok {
			continue
		}
		list, ok := v.([]any)
		if !ok {
			c.add(path+"."+k, "not an array")
			continue
		}
		for i, item := range list {
			p := fmt.Sprintf("%s.%s[%d]", path, k, i)
			if m, ok := c.object(p, item, true); ok {
				c.unknown(p, m, keys("id", "description"))
				c.str(p+".id", m["id"])
				if desc, ok := m["description"]; ok {
					c.langMap(p+".description", desc)
				}
			}
		}
	}
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

func (c *checker) result(path string, r map[string]any) {
	c.unknown(path, r, resultKeys)
	for _, k := range []string{"success", "completion"} {
		if v, ok := r[k]; ok {
			if _, ok := v.(bool); !ok {
				c.add(path+"."+k, "not true or false")
			}
		}
	}
	if v, ok := r["response"]; ok {
		c.str(path+".response", v)
	}
	if v, ok := r["duration"]; ok {
		if s, ok := c.str(path+".duration", v); ok && (!durationPattern.MatchString(s) || s == "P" || strings.HasSuffix(s, "T")) {
			c.add(path+".duration", "%q is not an ISO 8601 duration", s)
		}
	}
	if v, ok := r["extensions"]; ok {
		c.extensions(path+".extensions", v)
	}
	s, ok := c.object(path+".score", r["score"], false)
	if !ok {
		return
	}
	c.unknown(path+".score", s, scoreKeys)
	vals := map[string]float64{}
	for _, k := range []string{"scaled", "raw", "min", "max"} {
		if v, ok := s[k]; ok {
			f, ok := number(v)
			if !ok {
				c.add(path+".score."+k, "not a number")
				continue
			}
			vals[k] = f
		}
	}
	if f, ok := vals["scaled"]; ok && (f < -1 || f > 1) {
		c.add(path+".score.scaled", "%v is outside -1..1", f)
	}
	lo, hasLo := vals["min"]
	hi, hasHi := vals["max"]
	if hasLo && hasHi && lo >= hi {
		c.add(path+".score", "min %v is not below max %v", lo, hi)
	}
	if raw, ok := vals["raw"]; ok {
		if (hasLo && raw < lo) || (hasHi && raw > hi) {
			c.add(path+".score.raw", "%v is outside min..max", raw)
		}
	}
}

func (c *checker) context(path string, x map[string]any) {
	c.unknown(path, x, contextKeys)
	if v, ok := x["registration"]; ok {
		c.uuid(path+".registration", v)
	}
	if v, ok := x["instructor"]; ok {
		c.actor(path+".instructor", v, true)
	}
	if v, ok := x["team"]; ok {
		c.actor(path+".team", v, true)
	}
	for _, k := range []string{"revision", "platform"} {
		if v, ok := x[k]; ok {
			c.str(path+"."+k, v)
		}
	}
	if v, ok := x["language"]; ok {
		if s, ok := c.str(path+".language", v); ok && !langPattern.MatchString(s) {
			c.add(path+".language", "%q is not a language tag", s)
		}
	}
	if v, ok := x["statement"]; ok {
		if m, ok := c.object(path+".statement", v, true); ok {
			if m["objectType"] != "StatementRef" {
				c.add(path+".statement.objectType", "must be StatementRef")
			}
			c.uuid(path+".statement.id", m["id"])
		}
	}
	if v, ok := x["extensions"]; ok {
		c.extensions(path+".extensions", v)
	}
	ca, ok := c.object(path+".contextActivities", x["contextActivities"], false)
	if !ok {
		return
	}
	c.unknown(path+".contextActivities", ca, ctxActivityKeys)
	for _, k := range []string{"parent", "grouping", "category", "other"} {
		v, ok := ca[k]
		if !ok {
			continue
		}
		p := path + ".contextActivities." + k
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for i, a := range list {
			ap := p
			if isList {
				ap = fmt.Sprintf("%s[%d]", p, i)
			}
			if m, ok := c.object(ap, a, true); ok {
				if t, ok := m["objectType"]; ok && t != "Activity" {
					c.add(ap+".objectType", "context activities are Activities, not %v", t)
				}
				m2 := map[string]any{}
				for k, v := range m {
					if k != "objectType" {
						m2[k] = v
					}
				}
				m2["objectType"] = "Activity"
				c.statementObject(ap, m2, nil)
			}
		}
	}
}

// agentKey names an agent by its one identifier, for the document APIs
// and the agent filter; false when it has none or several.
func agentKey(a map[string]any) (string, bool) {
	var ids []string
	if s, ok := a["mbox"].(string); ok {
		ids = append(ids, "mbox:"+s)
	}
	if s, ok := a["mbox_sha1sum"].(string); ok {
		ids = append(ids, "sha1:"+s)
	}
	if s, ok := a["openid"].(string); ok {
		ids = append(ids, "openid:"+s)
	}
	if acc, ok := a["account"].(map[string]any); ok {
		h, _ := acc["homePage"].(string)
		n, _ := acc["name"].(string)
		if h != "" && n != "" {
			ids = append(ids, "account:"+h+"|"+n)
		}
	}
	if len(ids) != 1 {
		return "", false
	}
	return ids[0], true
}
