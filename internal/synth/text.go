package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// words is the vocabulary of the generated prose.
var words = strings.Fields(`
	the a of and to in is that for it as with was on be by this are at from
	or an have not they which you one all we can there their been has more
	when will would who so if out about up what some into them only other
	than then its also over after two most through where much before way
	well should because each just those people how too little state good
	very make world still own see men work long get here between both life
	being under never day same another know while last might great old year
	off come since against go came right used take three leadership library
	learner purpose values change transition power influence system problem
	team colleague service community reader branch volunteer manager budget
	strategy feedback trust listen question reflect practice habit routine
	meeting project partner idea risk evidence measure outcome impact story
	conversation decision priority process context culture network support
	creative innovation experiment prototype design user need journey map
	complexity uncertainty pattern boundary stakeholder resource capacity
	skill development coaching mentor learning goal action plan review
	careful quiet steady simple clear honest open curious patient generous
	practical useful difficult gentle brave shared local public digital
	notice explore describe explain compare choose decide support improve
	`)

// writer builds the Markdown of one module.
type writer struct {
	r *rand.Rand
	b strings.Builder
	// note numbers the footnotes of the module's pages.
	note int
	// q numbers the module's questions.
	q int
}

func (w *writer) word() string { return words[w.r.IntN(len(words))] }

// title returns n capitalised words.
func (w *writer) title(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.word()
	}
	t := strings.Join(parts, " ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// sentence returns a sentence of 6 to 17 words.
func (w *writer) sentence() string {
	return w.title(6+w.r.IntN(12)) + "."
}

// paragraph writes about n words of prose with some inline Markdown.
func (w *writer) paragraph(n int) {
	written := 0
	for written < n {
		k := 6 + w.r.IntN(12)
		parts := make([]string, k)
		for i := range parts {
			parts[i] = w.word()
		}
		switch w.r.IntN(10) {
		case 0:
			parts[1] = "*" + parts[1] + "*"
		case 1:
			parts[2] = "**" + parts[2] + " " + parts[3] + "**"
			parts[3] = ""
		case 2:
			parts[k-1] = "[" + parts[k-1] + "](https://example.org/" + parts[k-1] + ")"
		case 3:
			parts[0] = "\"" + parts[0]
			parts[2] += "\""
		case 4:
			parts[1] += " --"
		}
		s := strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
		w.b.WriteString(strings.ToUpper(s[:1]) + s[1:] + ". ")
		written += k
	}
	w.b.WriteString("\n\n")
}

// prose writes about n words in paragraphs of 40 to 100 words.
func (w *writer) prose(n int) {
	for n > 0 {
		k := min(n, 40+w.r.IntN(60))
		w.paragraph(k)
		n -= k
	}
}

// page writes the body of content page p: prose with subheadings and, in
// turn, a list, a table, a callout, a footnote or a code block.
func (w *writer) page(n, p int) {
	w.prose(n / 3)
	fmt.Fprintf(&w.b, "### %s\n\n", w.title(2+w.r.IntN(3)))
	w.prose(n / 3)
	switch p % 5 {
	case 0:
		for range 3 + w.r.IntN(3) {
			fmt.Fprintf(&w.b, "- %s\n", w.sentence())
		}
		w.b.WriteString("\n")
	case 1:
		w.b.WriteString("| Step | What to do | Why |\n| --- | --- | --- |\n")
		for i := range 3 + w.r.IntN(3) {
			fmt.Fprintf(&w.b, "| %d | %s | %s |\n", i+1, w.title(3), w.title(4))
		}
		w.b.WriteString("\n")
	case 2:
		kinds := []string{"note", "tip", "important", "buddy"}
		fmt.Fprintf(&w.b, "::: %s\n%s %s\n:::\n\n", kinds[w.r.IntN(len(kinds))], w.sentence(), w.sentence())
	case 3:
		w.note++
		fmt.Fprintf(&w.b, "%s[^n%d]\n\n[^n%d]: %s\n\n", w.sentence(), w.note, w.note, w.sentence())
	case 4:
		fmt.Fprintf(&w.b, "1. %s\n2. %s\n3. %s\n\n", w.sentence(), w.sentence(), w.sentence())
	}
	fmt.Fprintf(&w.b, "### %s\n\n", w.title(2+w.r.IntN(3)))
	w.prose(n - 2*(n/3))
}

// reflection writes a reflection block.
func (w *writer) reflection(id, prompt string) {
	fmt.Fprintf(&w.b, "::: reflection id=%s max=%d\n%s %s\n:::\n\n", id, reflectionMax, prompt, w.sentence())
}

// questions writes a module's knowledge check: one question of each type.
func (w *writer) questions(module string) {
	w.b.WriteString(w.sentence() + "\n\n")
	next := func() string {
		w.q++
		return fmt.Sprintf("%s-q%d", module, w.q)
	}
	// Single choice, with feedback.
	right := w.r.IntN(4)
	fmt.Fprintf(&w.b, "::: question id=%s attempts=2\n%s?\n\n", next(), strings.TrimSuffix(w.sentence(), "."))
	for i := range 4 {
		box := " "
		if i == right {
			box = "x"
		}
		fmt.Fprintf(&w.b, "- [%s] %s\n  > %s\n", box, w.sentence(), w.sentence())
	}
	fmt.Fprintf(&w.b, "\n%s\n:::\n\n", w.sentence())
	// Multiple choice.
	fmt.Fprintf(&w.b, "::: question id=%s type=multiple\n%s? Choose all that apply.\n\n", next(), strings.TrimSuffix(w.sentence(), "."))
	for i := range 5 {
		box := " "
		if i%2 == 0 {
			box = "x"
		}
		fmt.Fprintf(&w.b, "- [%s] %s\n", box, w.sentence())
	}
	w.b.WriteString(":::\n\n")
	// True or false.
	t, f := "x", " "
	if w.r.IntN(2) == 0 {
		t, f = f, t
	}
	claim := w.sentence()
	fmt.Fprintf(&w.b, "::: question id=%s type=true-false\nTrue or false: %s\n\n- [%s] True\n- [%s] False\n\n%s\n:::\n\n",
		next(), strings.ToLower(claim[:1])+claim[1:], t, f, w.sentence())
	// Typed answer.
	a := w.word()
	fmt.Fprintf(&w.b, "::: question id=%s type=text\nWhich word completes: %s ...?\n\n- %s\n- %s\n:::\n",
		next(), strings.TrimSuffix(w.sentence(), "."), a, strings.ToUpper(a[:1])+a[1:])
}
