package lrs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// statementsLocked answers the Statement API. l.mu is held.
func (l *LRS) statementsLocked(r *http.Request, ln *Launch, body []byte) answer {
	q := r.URL.Query()
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return l.getStatementsLocked(q)
	case http.MethodPut:
		id := q.Get("statementId")
		if !uuidPattern.MatchString(id) {
			return refuse(http.StatusBadRequest, "PUT statements needs a statementId parameter that is a UUID")
		}
		var st map[string]any
		if err := decode(body, &st); err != nil || st == nil {
			return refuse(http.StatusBadRequest, "PUT statements takes one statement, a JSON object")
		}
		if sid, ok := st["id"]; ok && !strings.EqualFold(fmt.Sprint(sid), id) {
			return refuse(http.StatusBadRequest, fmt.Sprintf("the statement's id %v differs from statementId %s", sid, id))
		}
		st["id"] = id
		a := l.storeAllLocked(ln, []map[string]any{st})
		if a.status == http.StatusOK {
			a.status, a.body = http.StatusNoContent, nil
		}
		return a
	case http.MethodPost:
		var v any
		if err := decode(body, &v); err != nil {
			return refuse(http.StatusBadRequest, "the body is not JSON: "+err.Error())
		}
		var batch []map[string]any
		switch v := v.(type) {
		case map[string]any:
			batch = []map[string]any{v}
		case []any:
			for i, s := range v {
				m, ok := s.(map[string]any)
				if !ok {
					return refuse(http.StatusBadRequest, fmt.Sprintf("statement %d is not a JSON object", i+1))
				}
				batch = append(batch, m)
			}
		default:
			return refuse(http.StatusBadRequest, "POST statements takes a statement or an array of statements")
		}
		return l.storeAllLocked(ln, batch)
	}
	a := refuse(http.StatusMethodNotAllowed, r.Method+" statements: the Statement API takes GET, PUT and POST")
	a.headers = map[string]string{"Allow": "GET, HEAD, PUT, POST"}
	return a
}

// decode parses JSON keeping numbers as json.Number, so that checks see
// them as written.
func decode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

// storeAllLocked checks a batch and stores all of it or none: 200 with the
// ids, 400 with the first refusal's reason, 409 for an id the LRS holds
// with other content.
func (l *LRS) storeAllLocked(ln *Launch, batch []map[string]any) answer {
	if len(batch) == 0 {
		return refuse(http.StatusBadRequest, "an empty batch")
	}
	verbs := map[string]int{}
	for k, v := range ln.verbs {
		verbs[k] = v
	}
	seen := map[string]bool{}
	notes := make([]string, len(batch))
	keep := make([]bool, len(batch))
	noted := 0
	for i, st := range batch {
		what := describe(i, len(batch), st)
		if id, ok := st["id"].(string); ok && uuidPattern.MatchString(id) {
			id = strings.ToLower(id)
			if seen[id] {
				return refuse(http.StatusBadRequest, what+": its id is twice in the batch")
			}
			seen[id] = true
			if at, ok := l.ids[id]; ok {
				if sameStatement(l.statements[at], st) {
					continue // the LRS has it: nothing to do
				}
				return refuse(http.StatusConflict, what+": the LRS holds another statement with the id "+id)
			}
		}
		problems := Check(st)
		problems = append(problems, sessionRules(ln, verbs, st)...)
		if len(problems) > 0 {
			if l.strict {
				return refuse(http.StatusBadRequest, what+": "+strings.Join(problems, "; "))
			}
			notes[i] = "strict mode refuses it: " + strings.Join(problems, "; ")
			noted++
		}
		if v, ok := st["verb"].(map[string]any); ok {
			if id, ok := v["id"].(string); ok {
				verbs[id]++
			}
		}
		keep[i] = true
	}
	var ids []string
	for i, st := range batch {
		if !keep[i] {
			ids = append(ids, st["id"].(string))
			continue
		}
		raw, _ := json.Marshal(st)
		ids = append(ids, l.storeLocked(ln, raw, notes[i]))
	}
	a := answer{status: http.StatusOK, body: ids}
	if noted > 0 {
		a.note = fmt.Sprintf("strict mode refuses %d of the %d %s", noted, len(batch), plural(len(batch), "statement", "statements"))
	}
	return a
}

// describe names a statement of a batch for a reason: "statement 2 of 3
// (completed)".
func describe(i, n int, st map[string]any) string {
	s := "the statement"
	if n > 1 {
		s = fmt.Sprintf("statement %d of %d", i+1, n)
	}
	if v, ok := st["verb"].(map[string]any); ok {
		if id, ok := v["id"].(string); ok && id != "" {
			s += " (" + id[strings.LastIndexAny(id, "/#")+1:] + ")"
		}
	}
	return s
}

// sameStatement compares a stored statement with one sent again, on the
// properties the sender sets.
func sameStatement(stored json.RawMessage, st map[string]any) bool {
	var a map[string]any
	if decode(stored, &a) != nil {
		return false
	}
	for _, k := range []string{"stored", "authority", "version"} {
		delete(a, k)
	}
	b := map[string]any{}
	for k, v := range st {
		if k != "stored" && k != "authority" && k != "version" {
			b[k] = v
		}
	}
	if _, ok := b["timestamp"]; !ok {
		delete(a, "timestamp")
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// sessionRules are the rules of a launch's session that strict mode
// applies: no second terminated (xAPI and cmi5), and for cmi5 those of the
// cmi5 specification's section 9: initialized first, nothing after
// terminated, no defined verb twice, the session's registration, session id
// and activity.
func sessionRules(ln *Launch, verbs map[string]int, st map[string]any) []string {
	vid := ""
	if v, ok := st["verb"].(map[string]any); ok {
		vid, _ = v["id"].(string)
	}
	if ln.Kind != "cmi5" {
		if vid == VerbTerminated && verbs[VerbTerminated] > 0 {
			return []string{"a second terminated in the launch " + ln.ID + ": the session ended with the first"}
		}
		return nil
	}
	var out []string
	short, defined := cmi5Defined[vid]
	switch {
	case verbs[VerbTerminated] > 0:
		out = append(out, "cmi5: a statement after terminated (the AU must send nothing once it has sent terminated, cmi5 9.3.8)")
	case vid != VerbInitialized && verbs[VerbInitialized] == 0:
		out = append(out, "cmi5: a statement before initialized (initialized must be the AU's first statement of a session, cmi5 9.3.2)")
	case defined && verbs[vid] > 0:
		out = append(out, "cmi5: a second "+short+" in the session")
	case (short == "passed" && verbs[adlVerbs+"failed"] > 0) || (short == "failed" && verbs[adlVerbs+"passed"] > 0):
		out = append(out, "cmi5: passed and failed in one session")
	}
	ctx, _ := st["context"].(map[string]any)
	if reg, _ := ctx["registration"].(string); !strings.EqualFold(reg, ln.Registration) {
		out = append(out, fmt.Sprintf("cmi5: context.registration %q is not the launch's %s", reg, ln.Registration))
	}
	ext, _ := ctx["extensions"].(map[string]any)
	if sid, _ := ext[SessionIDExt].(string); sid != ln.SessionID {
		out = append(out, fmt.Sprintf("cmi5: the context's session id %q is not the session's %s (every statement carries it, cmi5 9.6.3.1)", sid, ln.SessionID))
	}
	if defined {
		obj, _ := st["object"].(map[string]any)
		if id, _ := obj["id"].(string); id != ln.ActivityID {
			out = append(out, fmt.Sprintf("cmi5: %s is about %q, not the AU's activity %s", short, id, ln.ActivityID))
		}
		if !hasActivity(ctx, "category", CategoryCMI5) {
			out = append(out, "cmi5: "+short+" lacks the cmi5 category in context.contextActivities.category (cmi5 9.6.2.1)")
		}
		if res, ok := st["result"].(map[string]any); ok && short == "completed" {
			if _, ok := res["score"]; ok {
				out = append(out, "cmi5: completed carries a score (cmi5 9.5.1)")
			}
		}
	}
	return out
}

func hasActivity(ctx map[string]any, key, id string) bool {
	ca, _ := ctx["contextActivities"].(map[string]any)
	var list []any
	switch v := ca[key].(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	}
	for _, a := range list {
		if m, ok := a.(map[string]any); ok && m["id"] == id {
			return true
		}
	}
	return false
}

// getStatementsLocked answers GET statements: one statement by
// statementId, or the statements that match registration, verb, activity
// and agent, newest first unless ascending=true, at most limit.
func (l *LRS) getStatementsLocked(q map[string][]string) answer {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	headers := map[string]string{"X-Experience-API-Consistent-Through": l.now().UTC().Format(time.RFC3339Nano)}
	if id := firstOf(get("statementId"), get("voidedStatementId")); id != "" {
		at, ok := l.ids[strings.ToLower(id)]
		if !ok {
			a := refuse(http.StatusNotFound, "no statement "+id)
			a.headers = headers
			return a
		}
		return answer{status: http.StatusOK, raw: l.statements[at], ctype: "application/json", headers: headers}
	}
	agent := ""
	if a := get("agent"); a != "" {
		var v map[string]any
		if decode([]byte(a), &v) != nil {
			return refuse(http.StatusBadRequest, "agent is not JSON")
		}
		k, ok := agentKey(v)
		if !ok {
			return refuse(http.StatusBadRequest, "agent is not an Agent with one identifier")
		}
		agent = k
	}
	limit, _ := strconv.Atoi(get("limit"))
	out := []json.RawMessage{}
	for i := range l.statements {
		at := len(l.statements) - 1 - i
		if get("ascending") == "true" {
			at = i
		}
		raw := l.statements[at]
		var st map[string]any
		if decode(raw, &st) != nil {
			continue
		}
		ctx, _ := st["context"].(map[string]any)
		verb, _ := st["verb"].(map[string]any)
		obj, _ := st["object"].(map[string]any)
		if reg := get("registration"); reg != "" && !strings.EqualFold(fmt.Sprint(ctx["registration"]), reg) {
			continue
		}
		if v := get("verb"); v != "" && verb["id"] != v {
			continue
		}
		if act := get("activity"); act != "" && obj["id"] != act {
			continue
		}
		if agent != "" {
			actor, _ := st["actor"].(map[string]any)
			if k, _ := agentKey(actor); k != agent {
				continue
			}
		}
		out = append(out, raw)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return answer{status: http.StatusOK, body: map[string]any{"statements": out, "more": ""}, headers: headers}
}
