package templates

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// ContentSecurityPolicy returns the Content-Security-Policy of a page of
// the player for runtime, whose inline <style> elements hold styles (the
// theme's CSS, exactly as written between the tags). Every page carries it
// as a <meta http-equiv>:
//
//   - scripts only from the package's own files: the one inline script is
//     the player's JSON configuration, which is data, not code;
//   - styles from the package's files, plus each inline <style> by its
//     SHA-256 hash, and no style attributes;
//   - pictures, media and fonts from the package (pictures also as data:
//     URIs, for the empty favicon);
//   - requests (fetch) to the package's own origin only, except for the
//     xAPI and cmi5 runtimes, whose LRS endpoint is known only from the
//     launch URL, after the policy is fixed: their pages may connect to
//     any http: or https: address;
//   - no plug-ins, no <base>, and no form submission anywhere (the
//     player handles every form itself).
//
// A policy in a <meta> element cannot set frame-ancestors: an LMS frames
// the page, and only the server hosting it can say who may. See
// docs/security.md.
func ContentSecurityPolicy(runtime string, styles ...string) string {
	style := []string{"'self'"}
	for _, s := range styles {
		if s != "" {
			style = append(style, styleHash(s))
		}
	}
	connect := "'self'"
	if statementRuntimes[runtime] {
		connect = "'self' https: http:"
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src " + strings.Join(style, " "),
		"img-src 'self' data:",
		"media-src 'self'",
		"font-src 'self'",
		"connect-src " + connect,
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}

// styleHash is the CSP source that allows an inline <style> holding css.
func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
