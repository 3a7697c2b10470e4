package templates

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// ContentSecurityPolicy returns the Content-Security-Policy of a page for
// runtime (of the player, or the web build's listing) that holds no inline
// script but JSON data, and whose inline <style> elements hold styles (the
// theme's CSS, exactly as written between the tags). Every page carries
// its policy as a <meta http-equiv>:
//
//   - scripts only from the package's own files (the player's pages also
//     allow MarkScript, by its SHA-256 hash: see PlayerPolicy; the
//     player's JSON configuration is data, not code);
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
	return policy(runtime, nil, styles)
}

// PlayerPolicy is the ContentSecurityPolicy of a player's page, which
// also runs MarkScript.
func PlayerPolicy(runtime string, styles ...string) string {
	return policy(runtime, []string{MarkScript}, styles)
}

// policy is a page's policy allowing the inline scripts and styles given.
func policy(runtime string, scripts, styles []string) string {
	script := []string{"'self'"}
	for _, s := range scripts {
		script = append(script, hashSource(s))
	}
	style := []string{"'self'"}
	for _, s := range styles {
		if s != "" {
			style = append(style, hashSource(s))
		}
	}
	connect := "'self'"
	if statementRuntimes[runtime] {
		connect = "'self' https: http:"
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(script, " "),
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

// MarkScript is the page's one inline script, first in its head: it marks
// the page as scripted (the class "js" on the root element), so that the
// browser lays out the first page alone rather than every page before the
// player's deferred script runs; and if that script never ran (it failed
// to load or to parse), it takes the mark back once the page has loaded,
// leaving the page readable as one long document.
const MarkScript = `(function(d){d.classList.add("js");addEventListener("load",function(){window.CP||d.classList.remove("js")})})(document.documentElement)`

// hashSource is the CSP source that allows an inline element holding text.
func hashSource(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}
