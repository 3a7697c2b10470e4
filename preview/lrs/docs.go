package lrs

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"
)

// docParams are the parameters that name a document, checked.
type docParams struct {
	activity, agent, registration, id string
}

func docKey(api, activity, agent, registration, id string) string {
	return strings.Join([]string{api, activity, agent, strings.ToLower(registration), id}, "\x00")
}

// idParam is the parameter that names a document of an API.
func idParam(api string) string {
	if api == "state" {
		return "stateId"
	}
	return "profileId"
}

// params reads and checks the parameters of a document request; write
// says whether the id is required.
func params(api string, q map[string][]string, write bool) (docParams, string) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var p docParams
	if api != "agent-profile" {
		p.activity = get("activityId")
		if !isIRI(p.activity) {
			return p, "activityId is missing or not an IRI"
		}
	}
	if api != "activity-profile" {
		var a map[string]any
		if decode([]byte(get("agent")), &a) != nil {
			return p, "agent is missing or not JSON"
		}
		k, ok := agentKey(a)
		if !ok {
			return p, "agent is not an Agent with one identifier"
		}
		p.agent = k
	}
	if api == "state" {
		p.registration = get("registration")
		if p.registration != "" && !uuidPattern.MatchString(p.registration) {
			return p, "registration " + p.registration + " is not a UUID"
		}
	}
	p.id = get(idParam(api))
	if write && p.id == "" {
		return p, idParam(api) + " is missing"
	}
	return p, ""
}

func isJSON(contentType string) bool {
	t, _, err := mime.ParseMediaType(contentType)
	return err == nil && t == "application/json"
}

// documentLocked answers the State API and the activity and agent profile
// APIs. l.mu is held.
func (l *LRS) documentLocked(r *http.Request, api string, body []byte) answer {
	write := r.Method == http.MethodPut || r.Method == http.MethodPost
	p, bad := params(api, r.URL.Query(), write)
	if bad != "" {
		return refuse(http.StatusBadRequest, bad)
	}
	key := docKey(api, p.activity, p.agent, p.registration, p.id)
	doc := l.docs[key]
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if p.id == "" {
			var since time.Time
			if s := r.URL.Query().Get("since"); s != "" {
				t, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					return refuse(http.StatusBadRequest, "since is not an ISO 8601 time")
				}
				since = t
			}
			ids := []string{}
			for _, d := range l.docsLocked() {
				if d.API == api && d.ActivityID == p.activity && d.agent == p.agent && strings.EqualFold(d.Registration, p.registration) && d.Updated.After(since) {
					ids = append(ids, d.ID)
				}
			}
			return answer{status: http.StatusOK, body: ids}
		}
		if doc == nil {
			return answer{status: http.StatusNotFound, body: map[string]string{"error": "no document " + p.id}}
		}
		return answer{status: http.StatusOK, raw: []byte(doc.Body), ctype: doc.ContentType,
			headers: map[string]string{"ETag": doc.etag, "Last-Modified": doc.Updated.UTC().Format(http.TimeFormat)}}
	case http.MethodPut, http.MethodPost:
		if doc != nil && doc.LMS {
			return refuse(http.StatusForbidden, p.id+" is the LMS's document; the AU may read it, not change it")
		}
		if !preconditions(r, doc) {
			return refuse(http.StatusPreconditionFailed, "If-Match or If-None-Match does not hold")
		}
		ctype := r.Header.Get("Content-Type")
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		text := string(body)
		if isJSON(ctype) && !json.Valid(body) {
			return refuse(http.StatusBadRequest, "the Content-Type is JSON and the body is not")
		}
		if r.Method == http.MethodPost && doc != nil {
			var prev, next map[string]any
			if !isJSON(doc.ContentType) || !isJSON(ctype) || decode([]byte(doc.Body), &prev) != nil || decode(body, &next) != nil || prev == nil || next == nil {
				return refuse(http.StatusBadRequest, "POST merges JSON objects only; both documents must be JSON objects")
			}
			for k, v := range next {
				prev[k] = v
			}
			merged, _ := json.Marshal(prev)
			text, ctype = string(merged), doc.ContentType
		}
		d := &Doc{API: api, ID: p.id, ActivityID: p.activity, Registration: p.registration, ContentType: ctype, Body: text, Updated: l.now(), agent: p.agent}
		d.etag = etag(d.Body)
		l.docs[key] = d
		return answer{status: http.StatusNoContent}
	case http.MethodDelete:
		if p.id != "" {
			if doc != nil && doc.LMS {
				return refuse(http.StatusForbidden, p.id+" is the LMS's document")
			}
			if !preconditions(r, doc) {
				return refuse(http.StatusPreconditionFailed, "If-Match or If-None-Match does not hold")
			}
			delete(l.docs, key)
			return answer{status: http.StatusNoContent}
		}
		if api != "state" {
			return refuse(http.StatusBadRequest, "profileId is missing")
		}
		for k, d := range l.docs {
			if d.API == api && d.ActivityID == p.activity && d.agent == p.agent && strings.EqualFold(d.Registration, p.registration) && !d.LMS {
				delete(l.docs, k)
			}
		}
		return answer{status: http.StatusNoContent}
	}
	a := refuse(http.StatusMethodNotAllowed, r.Method+" is not a method of the document APIs")
	a.headers = map[string]string{"Allow": "GET, HEAD, PUT, POST, DELETE"}
	return a
}

func preconditions(r *http.Request, doc *Doc) bool {
	if m := strings.TrimSpace(r.Header.Get("If-Match")); m != "" {
		if doc == nil || (m != "*" && m != doc.etag) {
			return false
		}
	}
	if m := strings.TrimSpace(r.Header.Get("If-None-Match")); m != "" && doc != nil {
		if m == "*" || m == doc.etag {
			return false
		}
	}
	return true
}
