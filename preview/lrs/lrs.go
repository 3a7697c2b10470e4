// Package lrs is the preview's Learning Record Store: an in-memory xAPI
// 1.0.3 LRS, with the little of a cmi5 LMS that an AU meets (the fetch URL,
// LMS.LaunchData, abandoned sessions), for the simulator page to launch
// xAPI (Tin Can) and cmi5 units against. It keeps one learner, one
// registration at a time, and nothing on disk.
//
// Routes, relative to where the handler is mounted (/_preview/lrs):
//
//	POST /launch            a launch of a unit, as the simulator asks it:
//	                        credentials, a session, the launch parameters
//	POST /end?launch=ID     the simulator closed the unit; a cmi5 session
//	                        that did not end with terminated is abandoned
//	POST /reset             forget every statement and document; a new
//	                        registration
//	POST /settings          {"strict": bool}
//	GET  /log?after=N       what happened since N, for the simulator page
//	GET  /returned          the page a cmi5 AU's returnURL names
//	POST /fetch/ID          the cmi5 fetch URL of one launch
//	GET  /xapi/about        the versions this LRS speaks (no auth)
//	*    /xapi/statements   Statement API: POST, PUT, GET
//	*    /xapi/activities/state, /xapi/activities/profile,
//	     /xapi/agents/profile   the document APIs
//
// Every request under /xapi/ but about needs the Authorization the launch
// put in its URL (or, for cmi5, the token its fetch URL gave) and the
// X-Experience-API-Version header. The strict switch makes the LRS refuse
// what a conformant LRS or cmi5 LMS refuses (see check.go), with the reason
// in the answer and in the log; without it the statement is stored and the
// log notes what strict mode would have said.
package lrs

import (
	"cmp"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Version is the xAPI version the LRS answers with.
const Version = "1.0.3"

// The cmi5 names the LRS uses.
const (
	SessionIDExt     = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
	CategoryCMI5     = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
	LaunchDataID     = "LMS.LaunchData"
	VerbAbandoned    = "https://w3id.org/xapi/adl/verbs/abandoned"
	VerbTerminated   = "http://adlnet.gov/expapi/verbs/terminated"
	VerbInitialized  = "http://adlnet.gov/expapi/verbs/initialized"
	adlVerbs         = "http://adlnet.gov/expapi/verbs/"
	maxBody          = 4 << 20
	maxLog           = 50000
	learnerHomePage  = "https://coursepack.invalid/preview"
	learnerName      = "Preview Learner"
	learnerAccountID = "preview-learner"
)

// cmi5Defined are the verbs cmi5 defines, by IRI, with their short names.
var cmi5Defined = map[string]string{
	adlVerbs + "initialized": "initialized",
	adlVerbs + "completed":   "completed",
	adlVerbs + "passed":      "passed",
	adlVerbs + "failed":      "failed",
	adlVerbs + "terminated":  "terminated",
}

// Actor is the preview's learner, as launches name it.
func Actor() map[string]any {
	return map[string]any{"objectType": "Agent", "name": learnerName, "account": map[string]any{"homePage": learnerHomePage, "name": learnerAccountID}}
}

// Entry is one line of the log the simulator shows: a request to the LRS,
// a statement stored, or something the LMS did.
type Entry struct {
	Seq  int       `json:"seq"`
	Time time.Time `json:"time"`
	// Kind is "request", "statement" or "lms".
	Kind string `json:"kind"`
	// Launch is the id of the launch whose credentials the request used.
	Launch string `json:"launch,omitempty"`
	Method string `json:"method,omitempty"`
	// Resource is the xAPI resource, such as "statements", with the query
	// parameters that matter.
	Resource string `json:"resource,omitempty"`
	Status   int    `json:"status,omitempty"`
	// Reason says why a request was refused; Note what strict mode would
	// have refused in a request lenient mode took.
	Reason string `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
	Text   string `json:"text,omitempty"`
	// Reset marks the entry of a learner reset: the statements before it
	// are gone.
	Reset bool `json:"reset,omitempty"`
	// Statement is a statement stored, as stored.
	Statement json.RawMessage `json:"statement,omitempty"`
}

// Doc is a document of the State or profile APIs.
type Doc struct {
	// API is "state", "activity-profile" or "agent-profile".
	API          string    `json:"api"`
	ID           string    `json:"id"`
	ActivityID   string    `json:"activityId,omitempty"`
	Registration string    `json:"registration,omitempty"`
	ContentType  string    `json:"contentType"`
	Body         string    `json:"body"`
	Updated      time.Time `json:"updated"`
	// LMS marks the documents the LMS wrote (LMS.LaunchData), which
	// content may read but not change.
	LMS   bool   `json:"lms,omitempty"`
	agent string // the agent's key
	etag  string
}

// Launch is one launch of a unit.
type Launch struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // "xapi" or "cmi5"
	// Query is the launch's query string, to add to the unit's URL.
	Query        string         `json:"query"`
	Endpoint     string         `json:"endpoint"`
	Auth         string         `json:"auth,omitempty"`
	Fetch        string         `json:"fetch,omitempty"`
	Actor        map[string]any `json:"actor"`
	Registration string         `json:"registration"`
	ActivityID   string         `json:"activityId"`
	PublisherID  string         `json:"publisherId,omitempty"`
	SessionID    string         `json:"sessionId,omitempty"`

	token   string // cmi5: the credentials the fetch URL hands out
	fetched bool
	// verbs counts the statements of the session by verb IRI.
	verbs map[string]int
	ended bool // abandoned by the LMS, or closed after terminated
}

// LaunchRequest is what the simulator asks of a launch.
type LaunchRequest struct {
	Kind string `json:"kind"`
	// ActivityID is the xAPI unit's activity; for cmi5, PublisherID is the
	// AU's id in cmi5.xml and the LRS makes the activity id.
	ActivityID   string `json:"activityId"`
	PublisherID  string `json:"publisherId"`
	MoveOn       string `json:"moveOn"`
	MasteryScore string `json:"masteryScore"`
	// Origin is the simulator's origin, such as http://127.0.0.1:8265; the
	// handler sets it from the request.
	Origin string `json:"-"`
}

// LRS is the store. Make one with New; it is safe for concurrent use.
type LRS struct {
	mu           sync.Mutex
	strict       bool
	registration string
	statements   []json.RawMessage
	ids          map[string]int // statement id -> index in statements
	docs         map[string]*Doc
	launches     map[string]*Launch
	byAuth       map[string]*Launch
	byFetch      map[string]*Launch
	log          []Entry
	seq          int
	nLaunch      int
	now          func() time.Time
	changed      func()
}

// New makes an empty LRS in strict mode. changed, if not nil, is called
// (without the LRS's lock) after each change to the log.
func New(changed func()) *LRS {
	l := &LRS{strict: true, now: time.Now, changed: changed}
	l.clear()
	return l
}

func (l *LRS) clear() {
	l.registration = uuid()
	l.statements = nil
	l.ids = map[string]int{}
	l.docs = map[string]*Doc{}
	l.launches = map[string]*Launch{}
	l.byAuth = map[string]*Launch{}
	l.byFetch = map[string]*Launch{}
}

// Strict reports whether the LRS refuses what a conformant one refuses.
func (l *LRS) Strict() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.strict
}

// SetStrict turns strict mode on or off.
func (l *LRS) SetStrict(on bool) {
	l.mu.Lock()
	changed := l.strict != on
	l.strict = on
	if changed {
		if on {
			l.addLocked(Entry{Kind: "lms", Text: "strict mode: the LRS refuses what a conformant LRS or cmi5 LMS refuses"})
		} else {
			l.addLocked(Entry{Kind: "lms", Text: "lenient mode: the LRS stores what strict mode would refuse, and says why"})
		}
	}
	l.mu.Unlock()
	if changed {
		l.notify()
	}
}

// Registration is the learner's current registration.
func (l *LRS) Registration() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.registration
}

// Statements returns the statements stored, in order.
func (l *LRS) Statements() []json.RawMessage {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]json.RawMessage(nil), l.statements...)
}

// Docs returns the documents kept, sorted by API, activity and id.
func (l *LRS) Docs() []Doc {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.docsLocked()
}

func (l *LRS) docsLocked() []Doc {
	out := make([]Doc, 0, len(l.docs))
	for _, d := range l.docs {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Doc) int {
		return cmp.Or(cmp.Compare(a.API, b.API), cmp.Compare(a.ActivityID, b.ActivityID), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Log returns the entries after seq.
func (l *LRS) Log(after int) []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.logAfterLocked(after)
}

func (l *LRS) logAfterLocked(after int) []Entry {
	i := sort.Search(len(l.log), func(i int) bool { return l.log[i].Seq > after })
	return append([]Entry{}, l.log[i:]...)
}

func (l *LRS) addLocked(e Entry) {
	l.seq++
	e.Seq = l.seq
	e.Time = l.now()
	l.log = append(l.log, e)
	if len(l.log) > maxLog {
		l.log = append([]Entry(nil), l.log[len(l.log)-maxLog:]...)
	}
}

func (l *LRS) notify() {
	if l.changed != nil {
		l.changed()
	}
}

// Reset forgets every statement, document and launch, and starts a new
// registration.
func (l *LRS) Reset() {
	l.mu.Lock()
	n, d := len(l.statements), len(l.docs)
	l.clear()
	l.addLocked(Entry{Kind: "lms", Reset: true, Text: fmt.Sprintf("learner reset: the LRS forgot %d %s and %d %s; new registration %s",
		n, plural(n, "statement", "statements"), d, plural(d, "document", "documents"), l.registration)})
	l.mu.Unlock()
	l.notify()
}

// NewLaunch prepares a launch: credentials (xAPI) or a fetch URL (cmi5), a
// session, and for cmi5 the LMS.LaunchData document.
func (l *LRS) NewLaunch(req LaunchRequest) (*Launch, error) {
	origin := strings.TrimSuffix(req.Origin, "/")
	base := origin + "/_preview/lrs/"
	l.mu.Lock()
	defer func() {
		l.mu.Unlock()
		l.notify()
	}()
	l.nLaunch++
	ln := &Launch{
		ID: "L" + strconv.Itoa(l.nLaunch), Kind: req.Kind, Endpoint: base + "xapi/", Actor: Actor(),
		Registration: l.registration, verbs: map[string]int{},
	}
	actor, _ := json.Marshal(ln.Actor)
	switch req.Kind {
	case "xapi":
		if !isIRI(req.ActivityID) {
			return nil, fmt.Errorf("activityId %q is not an IRI", req.ActivityID)
		}
		ln.ActivityID = req.ActivityID
		ln.Auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(ln.ID+"-"+randomHex(4)+":"+randomHex(12)))
		l.byAuth[ln.Auth] = ln
		// The Tin Can launch's order: endpoint, auth, actor, registration,
		// activity_id.
		ln.Query = "endpoint=" + escape(ln.Endpoint) + "&auth=" + escape(ln.Auth) +
			"&actor=" + escape(string(actor)) + "&registration=" + escape(ln.Registration) +
			"&activity_id=" + escape(ln.ActivityID)
		l.addLocked(Entry{Kind: "lms", Launch: ln.ID, Text: fmt.Sprintf("launch %s: xAPI activity %s, registration %s", ln.ID, ln.ActivityID, ln.Registration)})
	case "cmi5":
		if !isIRI(req.PublisherID) {
			return nil, fmt.Errorf("publisherId %q is not an IRI", req.PublisherID)
		}
		ln.PublisherID = req.PublisherID
		ln.ActivityID = AUActivityID(req.PublisherID)
		ln.SessionID = uuid()
		ln.token = base64.StdEncoding.EncodeToString([]byte(ln.ID + "-" + randomHex(4) + ":" + randomHex(12)))
		fetchID := randomHex(12)
		l.byFetch[fetchID] = ln
		ln.Fetch = base + "fetch/" + fetchID
		ld := map[string]any{
			"contextTemplate": map[string]any{
				"contextActivities": map[string]any{"grouping": []any{map[string]any{"objectType": "Activity", "id": ln.PublisherID}}},
				"extensions":        map[string]any{SessionIDExt: ln.SessionID},
			},
			"launchMode": "Normal",
			"moveOn":     firstOf(req.MoveOn, "NotApplicable"),
			"returnURL":  base + "returned",
		}
		if req.MasteryScore != "" {
			if f, err := strconv.ParseFloat(req.MasteryScore, 64); err == nil {
				ld["masteryScore"] = f
			}
		}
		body, _ := json.Marshal(ld)
		agent, _ := agentKey(ln.Actor)
		d := &Doc{API: "state", ID: LaunchDataID, ActivityID: ln.ActivityID, Registration: ln.Registration, ContentType: "application/json",
			Body: string(body), Updated: l.now(), LMS: true, agent: agent}
		d.etag = etag(d.Body)
		l.docs[docKey("state", ln.ActivityID, agent, ln.Registration, LaunchDataID)] = d
		// The cmi5 launch's order: endpoint, fetch, actor, registration,
		// activityId.
		ln.Query = "endpoint=" + escape(ln.Endpoint) + "&fetch=" + escape(ln.Fetch) +
			"&actor=" + escape(string(actor)) + "&registration=" + escape(ln.Registration) +
			"&activityId=" + escape(ln.ActivityID)
		l.addLocked(Entry{Kind: "lms", Launch: ln.ID, Text: fmt.Sprintf("launch %s: cmi5 AU %s as activity %s, session %s, registration %s; LMS.LaunchData written",
			ln.ID, ln.PublisherID, ln.ActivityID, ln.SessionID, ln.Registration)})
	default:
		return nil, fmt.Errorf("a launch is xapi or cmi5, not %q", req.Kind)
	}
	l.launches[ln.ID] = ln
	return ln, nil
}

// AUActivityID is the activity id the LMS gives the AU whose cmi5.xml id is
// publisherID: an IRI of its own, as cmi5 wants, the same for every launch
// so that the learner's state carries over.
func AUActivityID(publisherID string) string {
	sum := sha1.Sum([]byte(publisherID))
	return "https://coursepack.invalid/preview/au/" + hex.EncodeToString(sum[:8])
}

// End closes a launch as an LMS does when the learner leaves the unit: a
// cmi5 session that was initialized and did not end with terminated is
// abandoned (the LMS writes the abandoned statement).
func (l *LRS) End(id string) {
	l.mu.Lock()
	ln := l.launches[id]
	if ln == nil || ln.ended {
		l.mu.Unlock()
		return
	}
	ln.ended = true
	if ln.Kind == "cmi5" && ln.verbs[VerbInitialized] > 0 && ln.verbs[VerbTerminated] == 0 {
		st := map[string]any{
			"id":        uuid(),
			"actor":     ln.Actor,
			"verb":      map[string]any{"id": VerbAbandoned, "display": map[string]any{"en-US": "abandoned"}},
			"object":    map[string]any{"objectType": "Activity", "id": ln.ActivityID},
			"timestamp": l.now().UTC().Format(time.RFC3339Nano),
			"context": map[string]any{
				"registration": ln.Registration,
				"contextActivities": map[string]any{
					"category": []any{map[string]any{"objectType": "Activity", "id": CategoryCMI5}},
					"grouping": []any{map[string]any{"objectType": "Activity", "id": ln.PublisherID}},
				},
				"extensions": map[string]any{SessionIDExt: ln.SessionID},
			},
		}
		raw, _ := json.Marshal(st)
		l.storeLocked(ln, raw, "")
		l.addLocked(Entry{Kind: "lms", Launch: ln.ID, Text: "session " + ln.SessionID + " closed without terminated: the LMS abandons it"})
	} else {
		l.addLocked(Entry{Kind: "lms", Launch: ln.ID, Text: "launch " + ln.ID + " closed"})
	}
	l.mu.Unlock()
	l.notify()
}

// storeLocked adds a statement, completing what the LRS sets: stored,
// authority, timestamp, version.
func (l *LRS) storeLocked(ln *Launch, raw json.RawMessage, note string) string {
	var st map[string]any
	if json.Unmarshal(raw, &st) != nil {
		return ""
	}
	id, _ := st["id"].(string)
	if id == "" {
		id = uuid()
		st["id"] = id
	}
	now := l.now().UTC().Format(time.RFC3339Nano)
	if _, ok := st["timestamp"]; !ok {
		st["timestamp"] = now
	}
	st["stored"] = now
	st["authority"] = map[string]any{"objectType": "Agent", "name": "coursepack preview", "account": map[string]any{"homePage": learnerHomePage, "name": "lrs"}}
	if _, ok := st["version"]; !ok {
		st["version"] = "1.0.0"
	}
	out, _ := json.Marshal(st)
	l.ids[strings.ToLower(id)] = len(l.statements)
	l.statements = append(l.statements, out)
	if ln != nil {
		if v, ok := st["verb"].(map[string]any); ok {
			if vid, ok := v["id"].(string); ok {
				ln.verbs[vid]++
			}
		}
	}
	e := Entry{Kind: "statement", Statement: out, Note: note}
	if ln != nil {
		e.Launch = ln.ID
	}
	l.addLocked(e)
	return id
}

// ServeHTTP answers the routes of the package comment.
func (l *LRS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/")
	switch {
	case strings.HasPrefix(p, "xapi/"):
		l.serveXAPI(w, r, strings.TrimPrefix(p, "xapi/"))
	case strings.HasPrefix(p, "fetch/"):
		l.serveFetch(w, r, strings.TrimPrefix(p, "fetch/"))
	case p == "launch":
		if !post(w, r) {
			return
		}
		var req LaunchRequest
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "launch: " + err.Error()})
			return
		}
		req.Origin = "http://" + r.Host
		ln, err := l.NewLaunch(req)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, ln)
	case p == "end":
		if !post(w, r) {
			return
		}
		l.End(r.URL.Query().Get("launch"))
		w.WriteHeader(http.StatusNoContent)
	case p == "reset":
		if !post(w, r) {
			return
		}
		l.Reset()
		writeJSON(w, http.StatusOK, map[string]string{"registration": l.Registration()})
	case p == "settings":
		if !post(w, r) {
			return
		}
		var s struct {
			Strict *bool `json:"strict"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<12)).Decode(&s); err != nil || s.Strict == nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": `settings: want {"strict": true|false}`})
			return
		}
		l.SetStrict(*s.Strict)
		writeJSON(w, http.StatusOK, map[string]bool{"strict": l.Strict()})
	case p == "log":
		after, _ := strconv.Atoi(r.URL.Query().Get("after"))
		l.mu.Lock()
		out := struct {
			Seq          int     `json:"seq"`
			Strict       bool    `json:"strict"`
			Registration string  `json:"registration"`
			Statements   int     `json:"statements"`
			Entries      []Entry `json:"entries"`
			Docs         []Doc   `json:"docs"`
		}{l.seq, l.strict, l.registration, len(l.statements), l.logAfterLocked(after), l.docsLocked()}
		l.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case p == "returned":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Returned to the LMS</title>"+
			"<body style=\"font-family: system-ui, sans-serif; padding: 2em\"><h1>Returned to the LMS</h1>"+
			"<p>The AU exited and went to the cmi5 returnURL. Choose an AU, or Suspend &amp; resume, to launch it again.</p></body></html>\n")
	default:
		http.NotFound(w, r)
	}
}

// post checks a request of the simulator page: a POST of JSON. A page of
// another site cannot send one without a CORS preflight, which the preview
// does not answer, so it cannot reset the learner or launch units.
func post(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return false
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		http.Error(w, "the simulator's requests are application/json", http.StatusUnsupportedMediaType)
		return false
	}
	return true
}

func (l *LRS) serveFetch(w http.ResponseWriter, r *http.Request, id string) {
	l.mu.Lock()
	ln := l.byFetch[id]
	status, body := http.StatusOK, map[string]string(nil)
	switch {
	case ln == nil:
		status, body = http.StatusNotFound, map[string]string{"error-code": "2", "error-text": "unknown fetch URL (the learner was reset, or the preview restarted)"}
	case r.Method != http.MethodPost:
		status, body = http.StatusMethodNotAllowed, map[string]string{"error-code": "3", "error-text": "the fetch URL takes POST only"}
	case ln.fetched:
		body = map[string]string{"error-code": "1", "error-text": "the fetch URL was already used"}
	default:
		ln.fetched = true
		l.byAuth["Basic "+ln.token] = ln
		body = map[string]string{"auth-token": ln.token}
	}
	e := Entry{Kind: "request", Method: r.Method, Resource: "fetch URL", Status: status}
	if ln != nil {
		e.Launch = ln.ID
	}
	if body["error-code"] != "" {
		e.Reason = body["error-text"]
	}
	l.addLocked(e)
	l.mu.Unlock()
	l.notify()
	writeJSON(w, status, body)
}

// answer is what a request to the xAPI resources gets, and what the log
// says of it.
type answer struct {
	status  int
	body    any    // JSON, or nil
	raw     []byte // written as is with contentType, when body is nil
	ctype   string
	headers map[string]string
	reason  string
	note    string
}

func refuse(status int, reason string) answer {
	return answer{status: status, body: map[string]string{"error": reason}, reason: reason}
}

func (l *LRS) serveXAPI(w http.ResponseWriter, r *http.Request, resource string) {
	w.Header().Set("X-Experience-API-Version", Version)
	if resource == "about" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		writeJSON(w, http.StatusOK, map[string]any{"version": []string{Version}})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": "the body is over 4 MB"})
		return
	}
	l.mu.Lock()
	ln := l.byAuth[strings.TrimSpace(r.Header.Get("Authorization"))]
	var a answer
	switch {
	case r.Header.Get("Authorization") == "":
		a = refuse(http.StatusUnauthorized, "no Authorization header")
	case ln == nil:
		a = refuse(http.StatusUnauthorized, "unknown credentials (not those of a launch of this preview, or the learner was reset)")
	default:
		a = l.versionCheck(r)
		if a.status == 0 {
			note := a.note
			switch resource {
			case "statements":
				a = l.statementsLocked(r, ln, body)
			case "activities/state":
				a = l.documentLocked(r, "state", body)
			case "activities/profile":
				a = l.documentLocked(r, "activity-profile", body)
			case "agents/profile":
				a = l.documentLocked(r, "agent-profile", body)
			default:
				a = refuse(http.StatusNotFound, "no resource "+resource)
			}
			if note != "" {
				a.note = strings.TrimPrefix(a.note+"; "+note, "; ")
			}
		}
	}
	e := Entry{Kind: "request", Method: r.Method, Resource: describeResource(resource, r.URL.Query()), Status: a.status, Reason: a.reason, Note: a.note}
	if ln != nil {
		e.Launch = ln.ID
	}
	// Statements stored come before the request that stored them in the
	// log; the request's line goes last.
	l.addLocked(e)
	l.mu.Unlock()
	l.notify()
	for k, v := range a.headers {
		w.Header().Set(k, v)
	}
	switch {
	case a.body != nil:
		writeJSON(w, a.status, a.body)
	case a.raw != nil:
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		if r.Method != http.MethodHead {
			w.Write(a.raw)
		}
	default:
		w.WriteHeader(a.status)
	}
}

// versionCheck checks X-Experience-API-Version: in strict mode a request
// without 1.0.x is refused; otherwise noted.
func (l *LRS) versionCheck(r *http.Request) answer {
	v := strings.TrimSpace(r.Header.Get("X-Experience-API-Version"))
	why := ""
	switch {
	case v == "":
		why = "no X-Experience-API-Version header"
	case !versionPattern.MatchString(v):
		why = fmt.Sprintf("X-Experience-API-Version %q is not 1.0.x", v)
	default:
		return answer{}
	}
	if l.strict {
		return refuse(http.StatusBadRequest, why)
	}
	return answer{note: "strict mode refuses it: " + why}
}

func describeResource(resource string, q url.Values) string {
	var parts []string
	for _, k := range []string{"statementId", "stateId", "profileId"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) == 0 {
		return resource
	}
	return resource + "?" + strings.Join(parts, "&")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

// escape encodes a launch parameter as encodeURIComponent does: a space
// as %20, since players read "+" as itself (as TinCanJS does).
func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func uuid() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func etag(body string) string {
	sum := sha1.Sum([]byte(body))
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
