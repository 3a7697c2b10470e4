package lint

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/templates"
)

// This file finds modules (or, with Options.WholeCourse, a course) whose
// completion rule no learner can meet. The loader already refuses a rule
// that needs questions where there are none, and choice questions without
// a right option; what is left is a text question none of whose accepted
// answers a learner can type. The rules are those of the player
// (templates/player/core.js: moduleScore, rule, result):
//
//   - passed and pages-and-passed wait until every question is final:
//     answered right, or out of attempts. A question that cannot be
//     answered right, with unlimited attempts (attempts=0), is never final.
//   - With a mastery score, the score is the share of questions answered
//     right, in percent, rounded half up (for a whole-course unit, the mean
//     of the modules' shares); below the mastery score the module fails.

// untypeable says why a learner cannot type answer into a text question's
// field, or returns "". The field takes templates.Limits.Answer UTF-16 code
// units, as the browser counts maxlength, and drops control characters
// (CP.clean); the player trims space before comparing.
func untypeable(answer string) string {
	answer = strings.TrimSpace(answer)
	for _, r := range answer {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return fmt.Sprintf("it holds the control character U+%04X, which the answer field drops", r)
		}
	}
	limit := templates.PlayerLimits().Answer
	if n := len(utf16.Encode([]rune(answer))); n > limit {
		return fmt.Sprintf("it is %d characters long and the answer field takes %d", n, limit)
	}
	return ""
}

// answerable reports whether a learner can answer q right.
func answerable(q *course.Question) bool {
	if q.Type != course.TextMatch {
		return true // the loader makes sure a choice question has a right option
	}
	for _, a := range q.Answers {
		if untypeable(a) == "" {
			return true
		}
	}
	return false
}

func checkCompletion(r *report, c *course.Course, whole bool) {
	for _, m := range c.Modules {
		for _, q := range m.Questions {
			if q.Type != course.TextMatch {
				continue
			}
			for i, a := range q.Answers {
				if why := untypeable(a); why != "" && i < len(q.AnswersAt) {
					r.add(q.AnswersAt[i], Warning, RuleAnswer, "no learner can type answer %d of question %q: %s", i+1, q.ID, why)
				}
			}
		}
	}
	if whole && len(c.Modules) > 1 {
		rule := c.Completion
		if rule == "" {
			rule = course.CompletionPages
		}
		unit := fmt.Sprintf("the course (one unit with the course's rule, as with --sco course) can never be %s", completed(rule, c.MasteryScore))
		checkUnit(r, unit, rule, c.MasteryScore, c.Modules)
		return
	}
	for _, m := range c.Modules {
		mastery := m.MasteryScore
		if mastery == nil {
			mastery = c.MasteryScore
		}
		unit := fmt.Sprintf("module %q can never be %s", m.ID, completed(m.Completion, mastery))
		checkUnit(r, unit, m.Completion, mastery, []*course.Module{m})
	}
}

// completed names what a learner cannot achieve.
func completed(rule course.Completion, mastery *int) string {
	if mastery != nil && rule != course.CompletionPages {
		return "passed"
	}
	return "completed"
}

// checkUnit reports a launchable unit of modules, with completion rule and
// pass mark mastery, that no learner can complete. unit begins the message.
func checkUnit(r *report, unit string, rule course.Completion, mastery *int, modules []*course.Module) {
	if rule != course.CompletionPassed && rule != course.CompletionPagesAndPassed {
		return
	}
	var dead []*course.Question
	var unlimited *course.Question
	sum, scored := 0.0, 0
	for _, m := range modules {
		right := 0
		for _, q := range m.Questions {
			if !answerable(q) {
				dead = append(dead, q)
				if q.Attempts == 0 && unlimited == nil {
					unlimited = q
				}
				continue
			}
			right++
		}
		if len(m.Questions) > 0 {
			sum += float64(right) / float64(len(m.Questions)) * 100
			scored++
		}
	}
	if len(dead) == 0 || scored == 0 {
		return
	}
	if unlimited != nil {
		r.add(unlimited.At, Error, RuleCompletion,
			"%s: its rule %q waits until every question is answered right or out of attempts, but question %q can never be answered right (no accepted answer can be typed) and has unlimited attempts; fix its answers",
			unit, rule, unlimited.ID)
		return
	}
	if mastery == nil {
		return // out of attempts, the questions are final and the rule is met
	}
	// The player rounds as JavaScript's Math.round does.
	best := int(math.Floor(sum/float64(scored) + 0.5))
	if best >= *mastery {
		return
	}
	r.add(dead[0].At, Error, RuleCompletion,
		"%s: %s never be answered right (no accepted answer can be typed), so the best score is %d%%, below the mastery score of %d%%; fix the answers",
		unit, questionList(dead), best, *mastery)
}

// questionList names questions: `question "a" can`, `questions "a" and "b" can`.
func questionList(qs []*course.Question) string {
	names := make([]string, len(qs))
	for i, q := range qs {
		names[i] = fmt.Sprintf("%q", q.ID)
	}
	if len(names) == 1 {
		return "question " + names[0] + " can"
	}
	return "questions " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " can"
}
