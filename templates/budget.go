package templates

import (
	"strconv"

	"github.com/coursepack/coursepack/course"
)

// DefaultReflectionMax caps a reflection's answer, in characters, when its
// author set no max (course.Reflection.MaxLength 0): room for a few
// thoughtful paragraphs.
const DefaultReflectionMax = 1000

// Limits caps what a learner can type besides reflections. The player
// enforces them and StateBudget counts them; lengths are JavaScript string
// lengths (UTF-16 code units).
type Limits struct {
	// Answer caps a typed answer to a text question (SCORM 1.2 fill-in
	// responses hold 255 characters).
	Answer int `json:"answer"`
	// Goals is the most goals an action plan holds.
	Goals int `json:"goals"`
	// Goal, Actions and Buddy cap a goal, its actions and the buddy's name.
	Goal    int `json:"goal"`
	Actions int `json:"actions"`
	Buddy   int `json:"buddy"`
}

// limits are the limits every player uses.
var limits = Limits{Answer: 255, Goals: 5, Goal: 150, Actions: 400, Buddy: 80}

// PlayerLimits returns the limits every player uses.
func PlayerLimits() Limits { return limits }

// maxCount is the player's ceiling on stored attempt and version counters.
const maxCount = 999

// ReflectionMax is the cap of r's answer: its MaxLength, or
// DefaultReflectionMax.
func ReflectionMax(r *course.Reflection) int {
	if r.MaxLength > 0 {
		return r.MaxLength
	}
	return DefaultReflectionMax
}

// stateLimits are the characters each runtime keeps for the learner's
// state; a runtime not listed has no practical limit.
var stateLimits = map[string]int{
	"scorm12": 4096, // cmi.suspend_data, CMIString4096
}

// StateBudget returns the worst-case length of the learner state that the
// player saves for one launchable unit holding modules (one module, or all
// modules of a course for a whole-course unit), and the limit of runtime
// (0 when it has none worth checking, such as "web").
//
// Lengths are JavaScript string lengths, as the player and the LMS measure
// them. The worst case is the plain JSON encoding (templates/player/core.js,
// version 2) with every page seen, the longest location, every question
// answered with the longest response (all options of a multiple-response
// question, a typed answer at Limits.Answer) and the most checks, every
// reflection at its cap (ReflectionMax) and, for a module with the action
// plan, the most goals with every field at its cap. Learner text counts
// twice its length: the player drops control characters, so JSON escapes
// any code unit as at most two characters (\" \\ \n \t). Such text does not
// compress; when it is longer than the limit, the player saves a copy with
// the longest texts shortened, keeps the full text in the browser and tells
// the learner.
func StateBudget(modules []*course.Module, runtime string) (worst, limit int) {
	limit = stateLimits[runtime]
	if len(modules) == 0 {
		return 0, limit
	}
	q := func(s string) int { return len(s) + 2 } // a quoted safe string
	text := func(n int) int { return 2*n + 2 }    // a quoted learner text
	digits := func(n int) int { return len(strconv.Itoa(n)) }
	// entries sums n JSON members or elements and the commas between them.
	entries := func(sizes []int) int {
		n := 0
		for i, s := range sizes {
			if i > 0 {
				n++
			}
			n += s
		}
		return n
	}

	loc := 0
	var mods []int
	for mi, m := range modules {
		for pi, p := range m.Pages {
			l := p.ID
			if len(modules) > 1 {
				l = m.ID + "/" + p.ID
			}
			if len(l) > 255 {
				l = "~" + strconv.Itoa(mi) + "." + strconv.Itoa(pi)
			}
			loc = max(loc, len(l))
		}
		// {"n":N,"s":"HEX"
		size := q(m.ID) + 1 + len(`{"n":`) + digits(len(m.Pages)) + len(`,"s":`) + q(string(make([]byte, (len(m.Pages)+3)/4)))
		if len(m.Questions) > 0 {
			var as []int
			for _, qu := range m.Questions {
				resp := 1
				switch qu.Type {
				case course.MultipleChoice:
					resp = len(qu.Options)
				case course.TextMatch:
					resp = 2 * limits.Answer
				}
				checks := maxCount
				if qu.Attempts > 0 {
					checks = min(qu.Attempts, maxCount)
				}
				as = append(as, q(qu.ID)+1+len(`[`)+resp+2+1+digits(checks)+len(`]`))
			}
			size += len(`,"a":{`) + entries(as) + 1
		}
		if len(m.Reflections) > 0 {
			var rs []int
			for _, r := range m.Reflections {
				rs = append(rs, q(r.ID)+1+len(`[`)+text(ReflectionMax(r))+1+digits(maxCount)+len(`]`))
			}
			size += len(`,"r":{`) + entries(rs) + 1
		}
		if m.ActionPlan {
			date := q("2006-01-02")
			goal := len(`[`) + text(limits.Goal) + 1 + text(limits.Actions) + 1 + date + len(`]`)
			goals := make([]int, limits.Goals)
			for i := range goals {
				goals[i] = goal
			}
			size += len(`,"p":{"b":`) + text(limits.Buddy) + len(`,"d":`) + date + len(`,"g":[`) + entries(goals) + len(`]}`)
		}
		size++ // }
		mods = append(mods, size)
	}
	// {"v":2,"l":"LOC","m":{...}}
	worst = len(`{"v":2,"l":`) + q(string(make([]byte, loc))) + len(`,"m":{`) + entries(mods) + len(`}}`)
	return worst, limit
}
