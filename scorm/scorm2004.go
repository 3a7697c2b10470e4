package scorm

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/coursepack/coursepack/bundle"
	"github.com/coursepack/coursepack/course"
	"github.com/coursepack/coursepack/dist"
	"github.com/coursepack/coursepack/format"
)

// The SCORM 2004 4th Edition namespaces.
const (
	nsIMSCP2004  = "http://www.imsglobal.org/xsd/imscp_v1p1"
	nsADLCP2004  = "http://www.adlnet.org/xsd/adlcp_v1p3"
	nsADLSeq2004 = "http://www.adlnet.org/xsd/adlseq_v1p3"
	nsADLNav2004 = "http://www.adlnet.org/xsd/adlnav_v1p3"
	nsIMSSS      = "http://www.imsglobal.org/xsd/imsss"
)

// primaryObjectiveID names the primary objective of a SCO with a pass mark;
// the LMS shows it to the SCO as cmi.objectives.0.id.
const primaryObjectiveID = "PRIMARYOBJ"

// V2004 is the SCORM 2004 4th Edition format.
type V2004 struct{}

var _ format.Format = V2004{}

// Name is "scorm2004".
func (V2004) Name() string { return "scorm2004" }

// Runtime is the player's SCORM 2004 adapter.
func (V2004) Runtime() string { return "scorm2004" }

// Description says what the format is for.
func (V2004) Description() string {
	return "SCORM 2004 4th Edition package (separate completion and pass status, progress and sequencing)"
}

// Build makes one SCORM 2004 package per plan of the layout, its pages
// reporting to the player's scorm2004 runtime.
func (f V2004) Build(c *course.Course, opts format.Options) ([]*dist.Package, error) {
	return build(c, opts, f, Manifest2004)
}

// Manifest2004 writes the SCORM 2004 4th Edition imsmanifest.xml of one
// package: one organisation with an item per unit, a SCO resource per unit
// and one asset resource with the shared files, as in SCORM 1.2, plus the
// simple sequencing below. It carries no LOM: the IEEE LOM schemas are not
// part of the schema set the manifests are validated against, and inline
// LOM would only pass the content package schema's lax wildcard unchecked.
//
// Sequencing:
//   - the organisation lets the learner choose any unit and move through
//     them in order (controlMode choice and flow);
//   - every SCO reports its own completion and success
//     (deliveryControls completionSetByContent and objectiveSetByContent),
//     so the LMS never assumes them when the SCO exits;
//   - a unit with a pass mark has a primary objective satisfied by measure,
//     its minNormalizedMeasure the pass mark over 100 (which the SCO reads
//     as cmi.scaled_passing_score); a unit without one is left out of the
//     rollup of satisfaction (rollupObjectiveSatisfied="false"), so that in
//     a course mixing the two the course is passed when every module with
//     a pass mark is passed, instead of never;
//   - a unit completed by viewing its pages has a completion threshold by
//     measure of 1.0: the player sets cmi.progress_measure to the share of
//     pages seen, so the LMS derives the same completion the player does.
//     Units whose rule asks for a pass ("passed", "pages-and-passed") have
//     none, since their progress can reach 1.0 before they are complete;
//   - where a package holds one unit (the course layout, and each package of
//     a split build), the player's own previous and next buttons are the
//     only navigation there is, so the LMS's previous and continue buttons,
//     which would have no other unit to go to, are hidden. With a unit per
//     module they stay: they are how a learner goes from one module to the
//     next.
func Manifest2004(c *course.Course, plan bundle.Plan, contents bundle.Contents) *etree.Document {
	doc, m, _ := newManifest(c, plan, "2004 4th Edition", []namespace{
		{"", nsIMSCP2004, "imscp_v1p1.xsd"},
		{"adlcp", nsADLCP2004, "adlcp_v1p3.xsd"},
		{"adlseq", nsADLSeq2004, "adlseq_v1p3.xsd"},
		{"adlnav", nsADLNav2004, "adlnav_v1p3.xsd"},
		{"imsss", nsIMSSS, "imsss_v1p0.xsd"},
	})
	org, items := addOrganization(m, c, plan)
	for i, u := range plan.Units {
		item := items[i]
		// The ADL and IMS SS children of an item follow its title in the
		// order the SCORM 2004 CAM gives: completionThreshold,
		// sequencing, presentation.
		if completionRule(c, u) == course.CompletionPages {
			ct := item.CreateElement("adlcp:completionThreshold")
			ct.CreateAttr("completedByMeasure", "true")
			ct.CreateAttr("minProgressMeasure", "1.0")
		}
		// The children of imsss:sequencing in schema order: rollupRules,
		// objectives, deliveryControls.
		seq := item.CreateElement("imsss:sequencing")
		if u.MasteryScore == nil {
			seq.CreateElement("imsss:rollupRules").CreateAttr("rollupObjectiveSatisfied", "false")
		} else {
			objectives := seq.CreateElement("imsss:objectives")
			primary := objectives.CreateElement("imsss:primaryObjective")
			primary.CreateAttr("objectiveID", primaryObjectiveID)
			primary.CreateAttr("satisfiedByMeasure", "true")
			primary.CreateElement("imsss:minNormalizedMeasure").SetText(scaled(*u.MasteryScore))
		}
		delivery := seq.CreateElement("imsss:deliveryControls")
		delivery.CreateAttr("tracked", "true")
		delivery.CreateAttr("completionSetByContent", "true")
		delivery.CreateAttr("objectiveSetByContent", "true")
		if len(plan.Units) == 1 {
			nav := item.CreateElement("adlnav:presentation").CreateElement("adlnav:navigationInterface")
			nav.CreateElement("adlnav:hideLMSUI").SetText("previous")
			nav.CreateElement("adlnav:hideLMSUI").SetText("continue")
		}
	}
	// After the items (and an organisation's metadata, which there is
	// none of): the organisation's sequencing.
	control := org.CreateElement("imsss:sequencing").CreateElement("imsss:controlMode")
	control.CreateAttr("choice", "true")
	control.CreateAttr("flow", "true")
	addResources(m, plan, contents, "adlcp:scormType")
	return doc
}

// completionRule is the rule the player applies to a unit: the module's own
// rule when the unit holds one module, else the course's rule over all its
// pages and questions.
func completionRule(c *course.Course, u bundle.Unit) course.Completion {
	if len(u.Modules) == 1 {
		return u.Modules[0].Completion
	}
	return c.Completion
}

// scaled writes a pass mark in percent (0 to 100) as a decimal from 0 to 1
// with no trailing zeros: 80 gives "0.8", 75 "0.75", 5 "0.05", 100 "1".
func scaled(percent int) string {
	if percent <= 0 {
		return "0"
	}
	if percent >= 100 {
		return "1"
	}
	return strings.TrimRight(fmt.Sprintf("0.%02d", percent), "0")
}
