package course

import "strings"

// latinFolds maps accented Latin letters, common in the languages the tool
// serves (Welsh, Irish, Scottish Gaelic, French, ...), to plain ones.
var latinFolds = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i",
	"ò", "o", "ó", "o", "ô", "o", "ö", "o", "õ", "o",
	"ù", "u", "ú", "u", "û", "u", "ü", "u",
	"ẁ", "w", "ẃ", "w", "ŵ", "w", "ẅ", "w",
	"ỳ", "y", "ý", "y", "ŷ", "y", "ÿ", "y",
	"ç", "c", "ñ", "n", "ß", "ss", "æ", "ae", "œ", "oe", "ø", "o",
)

// slug turns a title into an id: lowercase ASCII letters and digits with
// single hyphens between words ("What’s new?" becomes "whats-new").
func slug(title string) string {
	s := latinFolds.Replace(strings.ToLower(title))
	var b strings.Builder
	gap := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if gap && b.Len() > 0 {
				b.WriteByte('-')
			}
			gap = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// Apostrophes join: "learner's" becomes "learners".
		default:
			gap = true
		}
	}
	return b.String()
}
