package lrs

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// server mounts an LRS where the preview mounts it.
func server(t *testing.T) (*LRS, *httptest.Server) {
	t.Helper()
	l := New(nil)
	mux := http.NewServeMux()
	mux.Handle("/_preview/lrs/", http.StripPrefix("/_preview/lrs", l))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return l, ts
}

type reply struct {
	status int
	body   string
	header http.Header
}

func do(t *testing.T, method, u string, headers map[string]string, body string) reply {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return reply{res.StatusCode, string(data), res.Header}
}

// launch makes a launch as the simulator asks it; for cmi5 it also calls
// the fetch URL, so that Auth is the token's.
func launch(t *testing.T, l *LRS, ts *httptest.Server, kind string) *Launch {
	t.Helper()
	ln, err := l.NewLaunch(LaunchRequest{Kind: kind, ActivityID: "https://example.org/course", PublisherID: "https://example.org/course/one", MoveOn: "Completed", Origin: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	if kind == "cmi5" {
		r := do(t, "POST", ln.Fetch, nil, "")
		var tok map[string]string
		if err := json.Unmarshal([]byte(r.body), &tok); err != nil || tok["auth-token"] == "" {
			t.Fatalf("fetch: %d %s", r.status, r.body)
		}
		ln.Auth = "Basic " + tok["auth-token"]
	}
	return ln
}

func headers(ln *Launch) map[string]string {
	return map[string]string{"Authorization": ln.Auth, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
}

// statement writes a statement of the launch: verb (a short ADL name or an
// IRI), with the cmi5 context for a cmi5 launch; edit changes it.
func statement(ln *Launch, verb string, edit func(map[string]any)) string {
	if !strings.Contains(verb, ":") {
		verb = adlVerbs + verb
	}
	st := map[string]any{
		"actor":  ln.Actor,
		"verb":   map[string]any{"id": verb},
		"object": map[string]any{"objectType": "Activity", "id": ln.ActivityID},
		"context": map[string]any{
			"registration": ln.Registration,
		},
	}
	if ln.Kind == "cmi5" {
		ctx := st["context"].(map[string]any)
		ctx["extensions"] = map[string]any{SessionIDExt: ln.SessionID}
		ctx["contextActivities"] = map[string]any{"category": []any{map[string]any{"id": CategoryCMI5}}}
	}
	if edit != nil {
		edit(st)
	}
	data, _ := json.Marshal(st)
	return string(data)
}

func TestStatements(t *testing.T) {
	type req struct {
		method, query, body string
		headers             map[string]string
	}
	for _, tt := range []struct {
		name   string
		kind   string
		strict bool
		// before are statements POSTed first, each must be taken.
		before []func(*Launch) string
		req    func(*Launch) req
		status int
		reason string // in the answer's error, and the log's entry
		stored int    // statements the LRS holds after
	}{
		{name: "a good statement", kind: "xapi", strict: true,
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "initialized", nil), nil} },
			status: 200, stored: 1},
		{name: "a batch", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", "[" + statement(ln, "initialized", nil) + "," + statement(ln, "experienced", nil) + "]", nil}
			},
			status: 200, stored: 2},
		{name: "no version header", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", nil), map[string]string{"X-Experience-API-Version": "-"}}
			},
			status: 400, reason: "no X-Experience-API-Version header"},
		{name: "version 0.95", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", nil), map[string]string{"X-Experience-API-Version": "0.95"}}
			},
			status: 400, reason: `X-Experience-API-Version "0.95" is not 1.0.x`},
		{name: "no version header, lenient", kind: "xapi", strict: false,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", nil), map[string]string{"X-Experience-API-Version": "-"}}
			},
			status: 200, stored: 1},
		{name: "no credentials", kind: "xapi", strict: false,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", nil), map[string]string{"Authorization": "-"}}
			},
			status: 401, reason: "no Authorization header"},
		{name: "other credentials", kind: "xapi", strict: false,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", nil), map[string]string{"Authorization": "Basic eDp5"}}
			},
			status: 401, reason: "unknown credentials"},
		{name: "no verb", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { delete(st, "verb") }), nil}
			},
			status: 400, reason: "statement.verb: missing (required)"},
		{name: "no actor", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { delete(st, "actor") }), nil}
			},
			status: 400, reason: "statement.actor: missing (required)"},
		{name: "no object", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { delete(st, "object") }), nil}
			},
			status: 400, reason: "statement.object: missing (required)"},
		{name: "no verb, lenient", kind: "xapi", strict: false,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { delete(st, "verb") }), nil}
			},
			status: 200, stored: 1},
		{name: "an id that is not a UUID", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["id"] = "statement-1" }), nil}
			},
			status: 400, reason: `statement.id: "statement-1" is not a UUID`},
		{name: "an object id that is not an IRI", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					st["object"] = map[string]any{"id": "module one"}
				}), nil}
			},
			status: 400, reason: `statement.object.id: "module one" is not an IRI`},
		{name: "a verb id that is not an IRI", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["verb"] = map[string]any{"id": "completed"} }), nil}
			},
			status: 400, reason: `statement.verb.id: "completed" is not an IRI`},
		{name: "an actor with two identifiers", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					st["actor"] = map[string]any{"mbox": "mailto:a@example.org", "openid": "https://example.org/a"}
				}), nil}
			},
			status: 400, reason: "an Agent has exactly one"},
		{name: "an mbox without mailto", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["actor"] = map[string]any{"mbox": "a@example.org"} }), nil}
			},
			status: 400, reason: "does not start with mailto:"},
		{name: "a property xAPI does not define", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["score"] = 1 }), nil}
			},
			status: 400, reason: "statement.score: not a property xAPI defines"},
		{name: "a scaled score over 1", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "passed", func(st map[string]any) {
					st["result"] = map[string]any{"score": map[string]any{"scaled": 80}}
				}), nil}
			},
			status: 400, reason: "statement.result.score.scaled: 80 is outside -1..1"},
		{name: "a duration that is not ISO 8601", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "terminated", func(st map[string]any) { st["result"] = map[string]any{"duration": "00:01:00"} }), nil}
			},
			status: 400, reason: `"00:01:00" is not an ISO 8601 duration`},
		{name: "a timestamp without a time zone", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["timestamp"] = "2024-05-01T10:00:00" }), nil}
			},
			status: 400, reason: "is not an ISO 8601 time with its time zone"},
		{name: "a registration that is not a UUID", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["context"] = map[string]any{"registration": "r1"} }), nil}
			},
			status: 400, reason: `statement.context.registration: "r1" is not a UUID`},
		{name: "a second terminated", kind: "xapi", strict: true,
			before: []func(*Launch) string{func(ln *Launch) string { return statement(ln, "terminated", nil) }},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "terminated", nil), nil} },
			status: 400, reason: "a second terminated in the launch", stored: 1},
		{name: "a second terminated, lenient", kind: "xapi", strict: false,
			before: []func(*Launch) string{func(ln *Launch) string { return statement(ln, "terminated", nil) }},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "terminated", nil), nil} },
			status: 200, stored: 2},
		{name: "a batch with a bad statement stores none", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", "[" + statement(ln, "initialized", nil) + "," + statement(ln, "experienced", func(st map[string]any) { delete(st, "object") }) + "]", nil}
			},
			status: 400, reason: "statement 2 of 2 (experienced): statement.object: missing", stored: 0},
		{name: "not JSON", kind: "xapi", strict: false,
			req:    func(ln *Launch) req { return req{"POST", "", "{", nil} },
			status: 400, reason: "the body is not JSON"},
		{name: "PUT with statementId", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"PUT", "statementId=0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10", statement(ln, "initialized", nil), nil}
			},
			status: 204, stored: 1},
		{name: "PUT without statementId", kind: "xapi", strict: true,
			req:    func(ln *Launch) req { return req{"PUT", "", statement(ln, "initialized", nil), nil} },
			status: 400, reason: "needs a statementId"},
		{name: "PUT with another id", kind: "xapi", strict: true,
			req: func(ln *Launch) req {
				return req{"PUT", "statementId=0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10", statement(ln, "initialized", func(st map[string]any) {
					st["id"] = "6a1d3b54-2c8e-4c57-a7e9-6e8a04bb7a2b"
				}), nil}
			},
			status: 400, reason: "differs from statementId"},
		{name: "the same statement again", kind: "xapi", strict: true,
			before: []func(*Launch) string{func(ln *Launch) string {
				return statement(ln, "initialized", func(st map[string]any) { st["id"] = "0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10" })
			}},
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) { st["id"] = "0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10" }), nil}
			},
			status: 200, stored: 1},
		{name: "another statement with a known id", kind: "xapi", strict: false,
			before: []func(*Launch) string{func(ln *Launch) string {
				return statement(ln, "initialized", func(st map[string]any) { st["id"] = "0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10" })
			}},
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "completed", func(st map[string]any) { st["id"] = "0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10" }), nil}
			},
			status: 409, reason: "holds another statement", stored: 1},
		{name: "DELETE statements", kind: "xapi", strict: false,
			req:    func(ln *Launch) req { return req{"DELETE", "", "", nil} },
			status: 405, reason: "the Statement API takes GET, PUT and POST"},

		// cmi5
		{name: "cmi5 initialized", kind: "cmi5", strict: true,
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "initialized", nil), nil} },
			status: 200, stored: 1},
		{name: "cmi5 before initialized", kind: "cmi5", strict: true,
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "completed", nil), nil} },
			status: 400, reason: "cmi5: a statement before initialized"},
		{name: "cmi5 initialized twice", kind: "cmi5", strict: true,
			before: []func(*Launch) string{func(ln *Launch) string { return statement(ln, "initialized", nil) }},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "initialized", nil), nil} },
			status: 400, reason: "cmi5: a second initialized in the session", stored: 1},
		{name: "cmi5 after terminated", kind: "cmi5", strict: true,
			before: []func(*Launch) string{
				func(ln *Launch) string { return statement(ln, "initialized", nil) },
				func(ln *Launch) string { return statement(ln, "terminated", nil) },
			},
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "experienced", func(st map[string]any) {
					st["object"] = map[string]any{"id": "https://example.org/course/one/_page/p1"}
				}), nil}
			},
			status: 400, reason: "cmi5: a statement after terminated", stored: 2},
		{name: "cmi5 a second terminated", kind: "cmi5", strict: true,
			before: []func(*Launch) string{
				func(ln *Launch) string { return statement(ln, "initialized", nil) },
				func(ln *Launch) string { return statement(ln, "terminated", nil) },
			},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "terminated", nil), nil} },
			status: 400, reason: "cmi5: a statement after terminated", stored: 2},
		{name: "cmi5 after terminated, lenient", kind: "cmi5", strict: false,
			before: []func(*Launch) string{
				func(ln *Launch) string { return statement(ln, "initialized", nil) },
				func(ln *Launch) string { return statement(ln, "terminated", nil) },
			},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "terminated", nil), nil} },
			status: 200, stored: 3},
		{name: "cmi5 passed after failed", kind: "cmi5", strict: true,
			before: []func(*Launch) string{
				func(ln *Launch) string { return statement(ln, "initialized", nil) },
				func(ln *Launch) string { return statement(ln, "failed", nil) },
			},
			req:    func(ln *Launch) req { return req{"POST", "", statement(ln, "passed", nil), nil} },
			status: 400, reason: "cmi5: passed and failed in one session", stored: 2},
		{name: "cmi5 without the session id", kind: "cmi5", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					delete(st["context"].(map[string]any), "extensions")
				}), nil}
			},
			status: 400, reason: "cmi5: the context's session id"},
		{name: "cmi5 another registration", kind: "cmi5", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					st["context"].(map[string]any)["registration"] = "6a1d3b54-2c8e-4c57-a7e9-6e8a04bb7a2b"
				}), nil}
			},
			status: 400, reason: "is not the launch's"},
		{name: "cmi5 a defined verb without the cmi5 category", kind: "cmi5", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					delete(st["context"].(map[string]any), "contextActivities")
				}), nil}
			},
			status: 400, reason: "lacks the cmi5 category"},
		{name: "cmi5 a defined verb about another activity", kind: "cmi5", strict: true,
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "initialized", func(st map[string]any) {
					st["object"] = map[string]any{"id": "https://example.org/course/one"}
				}), nil}
			},
			status: 400, reason: "not the AU's activity"},
		{name: "cmi5 completed with a score", kind: "cmi5", strict: true,
			before: []func(*Launch) string{func(ln *Launch) string { return statement(ln, "initialized", nil) }},
			req: func(ln *Launch) req {
				return req{"POST", "", statement(ln, "completed", func(st map[string]any) {
					st["result"] = map[string]any{"completion": true, "score": map[string]any{"scaled": 1}}
				}), nil}
			},
			status: 400, reason: "cmi5: completed carries a score", stored: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l, ts := server(t)
			l.SetStrict(tt.strict)
			ln := launch(t, l, ts, tt.kind)
			for i, b := range tt.before {
				if r := do(t, "POST", ln.Endpoint+"statements", headers(ln), b(ln)); r.status != 200 {
					t.Fatalf("statement %d before: %d %s", i+1, r.status, r.body)
				}
			}
			rq := tt.req(ln)
			h := headers(ln)
			for k, v := range rq.headers {
				h[k] = v
				if v == "-" {
					h[k] = ""
				}
			}
			u := ln.Endpoint + "statements"
			if rq.query != "" {
				u += "?" + rq.query
			}
			r := do(t, rq.method, u, h, rq.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if r.header.Get("X-Experience-API-Version") != Version {
				t.Errorf("X-Experience-API-Version %q", r.header.Get("X-Experience-API-Version"))
			}
			if tt.reason != "" {
				var e struct{ Error string }
				json.Unmarshal([]byte(r.body), &e)
				if !strings.Contains(e.Error, tt.reason) {
					t.Errorf("answer %s, want the reason %q", r.body, tt.reason)
				}
				log := l.Log(0)
				if last := log[len(log)-1]; !strings.Contains(last.Reason, tt.reason) || last.Status != tt.status {
					t.Errorf("the log's last entry %+v, want status %d and the reason %q", last, tt.status, tt.reason)
				}
			}
			if got := len(l.Statements()); got != tt.stored {
				t.Errorf("%d statements stored, want %d", got, tt.stored)
			}
			if !tt.strict && tt.status == 200 && len(tt.before) == 0 && strings.Contains(tt.name, "lenient") {
				if !hasNote(l.Log(0)) {
					t.Errorf("lenient mode stored it without saying what strict mode refuses: %+v", l.Log(0))
				}
			}
		})
	}
}

func hasNote(log []Entry) bool {
	for _, e := range log {
		if strings.Contains(e.Note, "strict mode refuses") {
			return true
		}
	}
	return false
}

func TestGetStatements(t *testing.T) {
	l, ts := server(t)
	ln := launch(t, l, ts, "xapi")
	h := headers(ln)
	id := "0c3bd8f4-70a7-4e36-9b8b-d9e1c0c4ad10"
	do(t, "POST", ln.Endpoint+"statements", h, "["+statement(ln, "initialized", func(st map[string]any) { st["id"] = id })+","+statement(ln, "completed", nil)+"]")
	r := do(t, "GET", ln.Endpoint+"statements?statementId="+id, h, "")
	if r.status != 200 || !strings.Contains(r.body, `"stored"`) || !strings.Contains(r.body, id) {
		t.Errorf("GET statementId: %d %s", r.status, r.body)
	}
	if r.header.Get("X-Experience-API-Consistent-Through") == "" {
		t.Error("no X-Experience-API-Consistent-Through")
	}
	if r := do(t, "GET", ln.Endpoint+"statements?statementId=6a1d3b54-2c8e-4c57-a7e9-6e8a04bb7a2b", h, ""); r.status != 404 {
		t.Errorf("an unknown statement: %d", r.status)
	}
	var list struct {
		Statements []map[string]any `json:"statements"`
	}
	r = do(t, "GET", ln.Endpoint+"statements?ascending=true&registration="+ln.Registration, h, "")
	if err := json.Unmarshal([]byte(r.body), &list); err != nil || len(list.Statements) != 2 {
		t.Fatalf("GET by registration: %d %s", r.status, r.body)
	}
	if v := list.Statements[0]["verb"].(map[string]any)["id"]; v != adlVerbs+"initialized" {
		t.Errorf("ascending: first %v", v)
	}
	r = do(t, "GET", ln.Endpoint+"statements?verb="+url.QueryEscape(adlVerbs+"completed"), h, "")
	if json.Unmarshal([]byte(r.body), &list) != nil || len(list.Statements) != 1 {
		t.Errorf("GET by verb: %s", r.body)
	}
	r = do(t, "GET", ln.Endpoint+"statements?registration=6a1d3b54-2c8e-4c57-a7e9-6e8a04bb7a2b", h, "")
	if json.Unmarshal([]byte(r.body), &list) != nil || len(list.Statements) != 0 {
		t.Errorf("GET another registration: %s", r.body)
	}
	if r := do(t, "GET", ln.Endpoint+"about", nil, ""); r.status != 200 || !strings.Contains(r.body, `"1.0.3"`) {
		t.Errorf("about: %d %s", r.status, r.body)
	}
}

func TestDocuments(t *testing.T) {
	l, ts := server(t)
	ln := launch(t, l, ts, "cmi5")
	agent, _ := json.Marshal(ln.Actor)
	base := ln.Endpoint + "activities/state?activityId=" + url.QueryEscape(ln.ActivityID) + "&agent=" + url.QueryEscape(string(agent)) + "&registration=" + ln.Registration
	h := headers(ln)
	for _, tt := range []struct {
		name, method, query, body string
		headers                   map[string]string
		status                    int
		want                      string // in the body
	}{
		{"the LMS's LaunchData", "GET", "&stateId=LMS.LaunchData", "", nil, 200, `"launchMode":"Normal"`},
		{"LaunchData has the session", "GET", "&stateId=LMS.LaunchData", "", nil, 200, ln.SessionID},
		{"the AU may not change it", "PUT", "&stateId=LMS.LaunchData", `{}`, nil, 403, "the LMS's document"},
		{"nor delete it", "DELETE", "&stateId=LMS.LaunchData", "", nil, 403, "the LMS's document"},
		{"no state yet", "GET", "&stateId=s1", "", nil, 404, ""},
		{"PUT", "PUT", "&stateId=s1", `{"a":1}`, nil, 204, ""},
		{"GET", "GET", "&stateId=s1", "", nil, 200, `{"a":1}`},
		{"POST merges", "POST", "&stateId=s1", `{"b":2}`, nil, 204, ""},
		{"merged", "GET", "&stateId=s1", "", nil, 200, `{"a":1,"b":2}`},
		{"POST merges JSON only", "POST", "&stateId=s1", `x`, map[string]string{"Content-Type": "text/plain"}, 400, "JSON objects only"},
		{"JSON that is not", "PUT", "&stateId=s2", `{`, nil, 400, "the body is not"},
		{"If-Match that does not hold", "PUT", "&stateId=s1", `{}`, map[string]string{"If-Match": `"nope"`}, 412, ""},
		{"the ids", "GET", "", "", nil, 200, `"s1"`},
		{"PUT without stateId", "PUT", "", `{}`, nil, 400, "stateId is missing"},
		{"DELETE", "DELETE", "&stateId=s1", "", nil, 204, ""},
		{"deleted", "GET", "&stateId=s1", "", nil, 404, ""},
		{"DELETE all keeps the LMS's", "DELETE", "", "", nil, 204, ""},
		{"still there", "GET", "&stateId=LMS.LaunchData", "", nil, 200, "contextTemplate"},
	} {
		hh := map[string]string{}
		for k, v := range h {
			hh[k] = v
		}
		for k, v := range tt.headers {
			hh[k] = v
		}
		r := do(t, tt.method, base+tt.query, hh, tt.body)
		if r.status != tt.status || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, r.status, r.body, tt.status, tt.want)
		}
	}
	for _, tt := range []struct {
		name, u string
		status  int
		want    string
	}{
		{"no activityId", ln.Endpoint + "activities/state?stateId=s&agent=" + url.QueryEscape(string(agent)), 400, "activityId is missing"},
		{"no agent", ln.Endpoint + "activities/state?stateId=s&activityId=" + url.QueryEscape(ln.ActivityID), 400, "agent is missing"},
		{"a bad registration", base[:strings.Index(base, "&registration")] + "&registration=r1&stateId=s", 400, "is not a UUID"},
		{"no learner preferences", ln.Endpoint + "agents/profile?profileId=cmi5LearnerPreferences&agent=" + url.QueryEscape(string(agent)), 404, ""},
		{"no profile id", ln.Endpoint + "agents/profile?agent=" + url.QueryEscape(string(agent)), 200, "[]"},
		{"an activity profile", ln.Endpoint + "activities/profile?profileId=p&activityId=" + url.QueryEscape(ln.ActivityID), 404, ""},
	} {
		r := do(t, "GET", tt.u, h, "")
		if r.status != tt.status || !strings.Contains(r.body, tt.want) {
			t.Errorf("%s: %d %s, want %d with %q", tt.name, r.status, r.body, tt.status, tt.want)
		}
	}
	var names []string
	for _, d := range l.Docs() {
		names = append(names, d.ID)
	}
	if strings.Join(names, ",") != "LMS.LaunchData" {
		t.Errorf("documents %v", names)
	}
}

func TestLaunchAndFetch(t *testing.T) {
	l, ts := server(t)
	ln, err := l.NewLaunch(LaunchRequest{Kind: "cmi5", PublisherID: "https://example.org/course/one", MoveOn: "Passed", MasteryScore: "0.8", Origin: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(ln.Query)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ln.Query, "endpoint=") || q.Get("fetch") != ln.Fetch || q.Get("registration") != ln.Registration || q.Get("activityId") != ln.ActivityID {
		t.Errorf("query %s", ln.Query)
	}
	if strings.Contains(ln.Query, "+") || !strings.Contains(ln.Query, "Preview%20Learner") {
		t.Errorf("the query writes a space as + (players read + as itself): %s", ln.Query)
	}
	if ln.ActivityID == ln.PublisherID || ln.ActivityID != AUActivityID(ln.PublisherID) {
		t.Errorf("activityId %s for publisher id %s", ln.ActivityID, ln.PublisherID)
	}
	token := "Basic " + ln.token
	h := map[string]string{"Authorization": token, "X-Experience-API-Version": "1.0.3"}
	if r := do(t, "GET", ln.Endpoint+"statements", h, ""); r.status != 401 {
		t.Errorf("the token before the fetch URL gave it: %d", r.status)
	}
	if r := do(t, "GET", ln.Fetch, nil, ""); r.status != 405 || !strings.Contains(r.body, `"error-code":"3"`) {
		t.Errorf("GET fetch: %d %s", r.status, r.body)
	}
	r := do(t, "POST", ln.Fetch, nil, "")
	if r.status != 200 || !strings.Contains(r.body, `"auth-token":"`+ln.token+`"`) {
		t.Errorf("fetch: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", ln.Fetch, nil, ""); r.status != 200 || !strings.Contains(r.body, `"error-code":"1"`) {
		t.Errorf("fetch again: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/fetch/nope", nil, ""); r.status != 404 {
		t.Errorf("an unknown fetch URL: %d", r.status)
	}
	if r := do(t, "GET", ln.Endpoint+"statements", h, ""); r.status != 200 {
		t.Errorf("the token after: %d %s", r.status, r.body)
	}
	var ld map[string]any
	for _, d := range l.Docs() {
		if d.ID == LaunchDataID {
			json.Unmarshal([]byte(d.Body), &ld)
		}
	}
	if ld["moveOn"] != "Passed" || ld["masteryScore"] != 0.8 || ld["launchMode"] != "Normal" || !strings.HasSuffix(ld["returnURL"].(string), "/_preview/lrs/returned") {
		t.Errorf("LMS.LaunchData %v", ld)
	}

	// Over HTTP, as the simulator asks.
	r = do(t, "POST", ts.URL+"/_preview/lrs/launch", map[string]string{"Content-Type": "application/json"}, `{"kind":"xapi","activityId":"https://example.org/course"}`)
	var x Launch
	if err := json.Unmarshal([]byte(r.body), &x); err != nil || r.status != 200 || !strings.HasPrefix(x.Auth, "Basic ") || x.Registration != ln.Registration {
		t.Fatalf("launch: %d %s", r.status, r.body)
	}
	q, _ = url.ParseQuery(x.Query)
	if q.Get("auth") != x.Auth || q.Get("activity_id") != "https://example.org/course" || q.Get("endpoint") != ts.URL+"/_preview/lrs/xapi/" {
		t.Errorf("xAPI query %s", x.Query)
	}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/launch", map[string]string{"Content-Type": "application/json"}, `{"kind":"scorm"}`); r.status != 400 {
		t.Errorf("a launch of another kind: %d", r.status)
	}
}

func TestEndAbandonsAndResetForgets(t *testing.T) {
	l, ts := server(t)
	ln := launch(t, l, ts, "cmi5")
	do(t, "POST", ln.Endpoint+"statements", headers(ln), statement(ln, "initialized", nil))
	jsonType := map[string]string{"Content-Type": "application/json"}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/end?launch="+ln.ID, nil, "{}"); r.status != 415 {
		t.Errorf("end without a JSON type: %d", r.status)
	}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/end?launch="+ln.ID, jsonType, "{}"); r.status != 204 {
		t.Fatalf("end: %d", r.status)
	}
	sts := l.Statements()
	if len(sts) != 2 || !strings.Contains(string(sts[1]), VerbAbandoned) || !strings.Contains(string(sts[1]), ln.SessionID) {
		t.Fatalf("statements after end: %s", sts)
	}
	var st map[string]any
	decode(sts[1], &st)
	if p := Check(st); len(p) > 0 {
		t.Errorf("the LMS's abandoned statement: %v", p)
	}
	l.End(ln.ID) // once only
	if len(l.Statements()) != 2 {
		t.Error("a second end abandoned again")
	}

	done := launch(t, l, ts, "cmi5")
	do(t, "POST", done.Endpoint+"statements", headers(done), "["+statement(done, "initialized", nil)+","+statement(done, "terminated", nil)+"]")
	l.End(done.ID)
	if len(l.Statements()) != 4 {
		t.Errorf("a session that ended with terminated was abandoned: %d statements", len(l.Statements()))
	}

	reg := l.Registration()
	if r := do(t, "POST", ts.URL+"/_preview/lrs/reset", nil, "{}"); r.status != 415 || len(l.Statements()) == 0 {
		t.Errorf("reset as a form of another site could post it: %d", r.status)
	}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/reset", jsonType, "{}"); r.status != 200 {
		t.Fatalf("reset: %d", r.status)
	}
	if len(l.Statements()) != 0 || len(l.Docs()) != 0 || l.Registration() == reg {
		t.Errorf("after reset: %d statements, %d documents, registration %s (was %s)", len(l.Statements()), len(l.Docs()), l.Registration(), reg)
	}
	if r := do(t, "POST", done.Endpoint+"statements", headers(done), statement(done, "initialized", nil)); r.status != 401 {
		t.Errorf("a launch from before the reset: %d", r.status)
	}
	reset := false
	for _, e := range l.Log(0) {
		reset = reset || e.Reset && strings.Contains(e.Text, "learner reset")
	}
	if !reset {
		t.Errorf("no reset in the log: %+v", l.Log(0))
	}
	if r := do(t, "POST", ts.URL+"/_preview/lrs/settings", jsonType, `{"strict":false}`); r.status != 200 || l.Strict() {
		t.Errorf("settings: %d, strict %v", r.status, l.Strict())
	}
	r := do(t, "GET", ts.URL+"/_preview/lrs/log?after=0", nil, "")
	var out struct {
		Strict  bool    `json:"strict"`
		Entries []Entry `json:"entries"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || out.Strict || len(out.Entries) != len(l.Log(0)) {
		t.Errorf("log: %s", r.body)
	}
}
