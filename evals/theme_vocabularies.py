"""Candidate keyword vocabularies and example sentences for the themes, compared with the served
ones (qa.themes, qa.theme_examples) by ``evals.fit_themes --vocabularies``.

FIELD was written from the field's national vocabulary, with no collection's text or labels in
view: the Child Safeguarding Practice Review Panel's annual reports and thematic reviews ("The Myth
of Invisible Men", "Safeguarding children under 1 from non-accidental injury", "It was hard to
escape", "Child Protection in England", the reviews of disabled children in residential
settings), Working Together to Safeguard Children 2023, Ofsted's joint targeted area inspection
themes and the NSPCC's learning briefings. It holds none of the alternatives the keyword audit
removed as lifted from a test collection, nor their near variants (docs/learning.md). Every
alternative starts at a word boundary; stems keep a word family ("triangulat").

The served vocabulary was kept: on the bundled labels, left one report out, it scored as well as
or better than every candidate here (docs/learning.md has the table).
"""

from __future__ import annotations

from evals.theme_audit import alternatives
from qa.themes import TAXONOMY

FIELD: dict[str, str] = {
    "professional-curiosity": (
        r"\bprofessional(ly)? curio|\bcurio(us|sity)\b|\brespectful uncertainty|\bhealthy scepticism"
        r"|\bhealthy skepticism|\bthink(ing)? the unthinkable|\bdisguised compliance"
        r"|\b(superficial|apparent|false) compliance|\b(at|on) face value|\btriangulat"
        r"|\bthink(ing)? critically|\bcritical thinking|\bconfirmation bias|\brule of optimism"
        r"|\b(over-?)?optimis(m|tic) (bias|about)|\bself-?report(ed|ing|s)?\b"
        r"|\bfabricated (or|and) induced|\bFII\b|\bperplexing presentation|\bnon-?engage(ment|d)?\b"
        r"|\bdisengag|\bhard to (reach|engage)\b"
        r"|\bavoid(ant|ance|ing|ed) (of )?(contact|services|professionals|visits)"
        r"|\bquestion(ed|ing)? (the )?(explanation|account|narrative)s?"
        r"|\bexplanations? (for|of) (the )?(injur|bruis|mark)|\bfollow(ing|ed)?[- ]up\b"),
    "information-sharing": (
        r"\binformation[- ]shar"
        r"|\bshar(e|ed|ing) (of )?(the |this |relevant |key )?(information|intelligence|concerns)"
        r"|\bintelligence\b|\binformation (gathering|exchange)|\bexchange of information"
        r"|\btransfer of (information|records)|\b(multi|inter)-?agency communication"
        r"|\bcommunication between (agencies|professionals|services|partners|practitioners)"
        r"|\bchronolog|\bjoined[- ]up\b|\bjoint working|\bsilo(s|ed)?\b"
        r"|\bthe (full|whole|complete) picture|\bliais(e|ed|es|ing|on)\b|\brecord[- ]keeping"
        r"|\bconsent to shar|\bdata protection|\bmulti-?agency safeguarding hub|\bMASH\b"
        r"|\bstrategy (discussion|meeting)s?"),
    "voice-of-child": (
        r"\bvoices?\b|\blived experience|\bday in the life|\bwhat life (is|was) like"
        r"|\bwishes and feelings"
        r"|\b(child's|children's|young person's|young people's|child’s|children’s) (views|perspective|experience|world)"
        r"|\bviews (of|and wishes of) (the )?(child|young)|\bchild[- ]cent(red|ered)|\bchild[- ]focus"
        r"|\bthrough the eyes of|\bseen (and|or) heard"
        r"|\b(seen|spoken to|spoke to|talked to) (alone|on (their|his|her) own)|\bdirect work\b"
        r"|\blisten(ed|ing)? to (the )?(child|children|young)|\bnon-?verbal|\bpre-?verbal"
        r"|\bdisclos(e|ed|es|ure|ures)\b|\bbehaviour as communication"),
    "fathers-male-carers": (
        r"\bfathers?\b|\bdads?\b|\bstep-?fathers?\b|\bbirth fathers?"
        r"|\bmale (carers?|partners?|figures?|adults?)|\b(invisible|hidden|unseen) m[ae]n\b"
        r"|\bsignificant m(ales?|en)\b"
        r"|\bm(ales?|en) in the (household|home|family|child's life|baby's life)|\bpaternal\b"
        r"|\bboyfriends?\b|\bmen who\b"),
    "safe-sleep": (
        r"\bsafe(r)? sleep|\bunsafe sleep|\bco[- ]?sleep|\bbed[- ]?shar|\bsofa[- ]?shar"
        r"|\bsleep(ing)? (arrangement|environment|position|space)s?"
        r"|\bsudden (unexpected |unexplained )?(infant )?death|\bsudden infant|\bSUDI\b|\bSIDS\b"
        r"|\bcot death|\boverlay(ing)?\b|\bbab(y|ies|y's)\b|\binfants?\b|\bunder[- ](1|one)s?\b"
        r"|\bunder one year|\bnon-?mobile|\bpre-?mobile|\bnew-?borns?|\bneonat|\bpre-?birth|\bunborn"
        r"|\bante-?natal|\bpost-?natal|\bmidwi(fe|ves|fery)|\bhealth visit(or|ors|ing)\b|\bcrying\b"
        r"|\babusive head (trauma|injur)|\bshaken\b|\bnon-?accidental (head )?injur"
        r"|\bbruis(e|es|ed|ing)\b|\bbath(s|ing|time)?\b"),
    "neglect": (
        r"\bneglect|\bnot brought\b|\bwas not brought|\bdid not attend|\bwas not taken to"
        r"|\bmissed (health )?appointments|\bcumulative (harm|impact)|\bchronic (neglect|concerns)"
        r"|\bdrift\b|\bhome conditions|\bconditions (in|of) the home|\bstate of the home|\bhygiene"
        r"|\bunmet (health )?needs|\bbasic needs|\bbasic care|\black of supervision"
        r"|\bsupervision of (the )?child|\bgraded care profile|\bneglect (toolkit|tool|strategy)"),
    "domestic-abuse": (
        r"\bdomestic (abuse|violence)|\bcoerci(ve|on)\b|\bcontrolling (and coercive )?behaviour"
        r"|\bintimate partner|\babusive (relationship|partner)s?|\bMARAC\b"
        r"|\bmulti-?agency risk assessment conference|\bIDVA\b"
        r"|\bindependent domestic (violence|abuse) advis|\bperpetrators?\b|\bfamily violence"
        r"|\bviolence (in|within) the (home|household|family)|\bhonour[- ]based|\bforced marriage"
        r"|\bstalking|\bstrangulation|\b(child|adolescent)[- ]to[- ]parent (violence|abuse)"
        r"|\btoxic trio"),
    "exploitation": (
        r"\bexploit|\bCCE\b|\bCSE\b|\bcounty lines?\b|\bgroom(ed|ing)\b|\btraffick"
        r"|\bnational referral mechanism|\bNRM\b|\bmodern slavery|\bextra-?familial"
        r"|\bcontextual safeguarding|\bharm outside the (home|family)|\b(serious )?youth violence"
        r"|\bserious violence|\bgangs?\b|\bgang-|\bradicali[sz]|\bextremis(m|t)"
        r"|\b(going|went|goes|reported) missing|\bmissing (from home|from care|episodes?)"
        r"|\breturn home interview|\bonline (harm|abuse|safety|grooming|exploitation|risk)"
        r"|\bsexual(ly)? (abuse|abused|exploit|harm|images)|\bharmful sexual|\bHSB\b|\bsextortion"
        r"|\b(nude|indecent|intimate) images|\bsexting|\bdrug (running|dealing|debts?)|\bcuckooing"
        r"|\badultification|\b(teachable|reachable) moments?|\bpeer[- ](on[- ]peer|group)"
        r"|\bchild[- ]on[- ]child"),
    "escalation-challenge": (
        r"\bescalat|\bprofessional challenge"
        r"|\b(healthy|respectful|robust|constructive|effective) challenge"
        r"|\bchalleng(e|ed|ing) (of )?(the )?(decisions?|other (agencies|professionals)|each other|partners|professionals|agencies|thresholds?|colleagues)"
        r"|\b(confidence|confident|empowered) to (challenge|escalate|question)"
        r"|\bprofessional (disagreement|difference)s?|\bdisagree(ment|ments|d)?\b|\bthresholds?\b"
        r"|\bescalation (policy|procedure|protocol|process)"),
    "mental-health": (
        r"\bmental (ill[- ]?)?health|\bmental illness|\bdepressi|\bpost-?natal depression|\bperinatal"
        r"|\bself[- ]?harm|\bsuicid|\bemotional (wellbeing|well-being|health|difficult)"
        r"|\banxi(ety|ous)\b|\bpsychiatr|\bpsycholog|\bCAMHS\b|\bCYPMHS\b|\beating disorder"
        r"|\bpsychos(is|es)|\bpsychotic|\bpersonality disorder|\bbipolar|\bschizophreni|\bPTSD\b"
        r"|\blow mood"),
    "missing-education": (
        r"\bmissing (from )?education|\bchildren missing education|\bCME\b|\belective(ly)? home educat"
        r"|\bhome[- ]educat|\bEHE\b|\bschool roll|\boff[- ]roll"
        r"|\b(school|permanent|fixed[- ]term|permanently) exclu|\bexclu(ded|sion|sions) from school"
        r"|\bsuspensions? from school|\bpart[- ]time timetables?|\bschool attendance"
        r"|\bpersistent(ly)? absen|\babsen(t|ce) from school|\bschool absence"
        r"|\bnot in (school|education)|\bout of (school|education)|\balternative provision"
        r"|\bemotionally[- ]based school avoidance|\bEBSA\b|\bschool refus|\beducation welfare"),
    "send-neurodiversity": (
        r"(?-i:\bSEND\b)|\bspecial educational needs|\bdisabilit|\bdisabled\b|\bautis(m|tic)\b|\bASD\b"
        r"|\bADHD\b|\bneurodiver|\blearning (disabilit|difficult)|\bcommunication needs"
        r"|\bspeech and language|\bEHCP|\beducation,? health and care plan|\bspecial schools?\b"
        r"|\bdiagnostic overshadowing|\bovershadowing|\badditional needs|\bcomplex (health )?needs"
        r"|\bSENCO\b|\bdeaf\b|\bsensory (needs|impairment|processing)"),
    "transitions": (
        r"\btransition|\badult (services|social care|mental health services)|\b(to|into) adulthood"
        r"|\bpreparing for adulthood|\bcare leavers?|\bleaving care"
        r"|\btransfer(s|red|ring)? (of (the )?cases?|between|to another)"
        r"|\bbetween (areas|authorities|local authorities|schools|services)"
        r"|\bout of (area|borough|county)\b|\bcross[- ]border|\bstep(ped|ping)?[- ]down"
        r"|\bhand-?overs?\b|\bschool moves?\b|\bchange of school|\btransien(t|ce)"
        r"|\brelocat(e|ed|es|ing|ion)\b|\bmov(ed|ing|es?) (home|house|address|area|areas|between)"
        r"|\byoung adults?"),
}

# FIELD's single generic words (a word family of the theme's name is not one), named before any
# candidate was scored; "strict" drops them and adds the multi-word forms in STRICT_FORMS.
GENERIC: dict[str, tuple[str, ...]] = {
    "professional-curiosity": (r"\bself-?report(ed|ing|s)?\b", r"\bnon-?engage(ment|d)?\b", r"\bdisengag", r"\bfollow(ing|ed)?[- ]up\b"),
    "information-sharing": (r"\bintelligence\b", r"\bsilo(s|ed)?\b", r"\bliais(e|ed|es|ing|on)\b"),
    "voice-of-child": (r"\bvoices?\b", r"\bdisclos(e|ed|es|ure|ures)\b"),
    "fathers-male-carers": (r"\bboyfriends?\b", r"\bmen who\b"),
    "safe-sleep": (r"\bcrying\b", r"\bbath(s|ing|time)?\b", r"\bshaken\b", r"\bbruis(e|es|ed|ing)\b", r"\bhealth visit(or|ors|ing)\b", r"\bmidwi(fe|ves|fery)"),
    "neglect": (r"\bdrift\b",),
    "domestic-abuse": (r"\bperpetrators?\b",),
    "escalation-challenge": (r"\bdisagree(ment|ments|d)?\b", r"\bthresholds?\b"),
    "mental-health": (r"\banxi(ety|ous)\b",),
    "send-neurodiversity": (r"\badditional needs", r"\bcomplex (health )?needs"),
    "transitions": (r"\byoung adults?", r"\bhand-?overs?\b", r"\brelocat(e|ed|es|ing|ion)\b"),
}
STRICT_FORMS: dict[str, tuple[str, ...]] = {
    "voice-of-child": (r"\bvoices? of (the )?(child|children|young|bab|infant)", r"\b(child's|children's|child’s|children’s|young person's|young people's|pupil|youth) voices?\b"),
    "safe-sleep": (r"\bcrying bab", r"\bshaken bab", r"\bbruising (on|in|to) (a |an )?(non-mobile|pre-mobile|bab|infant)", r"\bbruising protocol"),
    "mental-health": (r"\banxiety\b",),
}
# The served list's single generic words, by the same rule (the "strictest" candidate).
SERVED_GENERIC: dict[str, tuple[str, ...]] = {
    "professional-curiosity": (r"follow(ing|ed)? up",),
    "information-sharing": (r"intelligence",),
    "voice-of-child": (r"voice",),
    "fathers-male-carers": (r"perpetrators?",),
    "safe-sleep": (r"crying", r"\bbath", r"shaken"),
    "neglect": (r"drift",),
    "exploitation": (r"missing", r"online"),
    "escalation-challenge": (r"challeng",),
}

# Example sentences in the field's wording, added to qa.theme_examples' in the "+ field examples" rows.
FIELD_EXAMPLES: dict[str, tuple[str, ...]] = {
    "professional-curiosity": (
        "Practitioners accepted the parents' self-reported account without checking it with other agencies.",
        "Optimism about the parents' progress meant that evidence of continuing risk was not questioned.",
        "Non-engagement and missed visits should prompt curiosity about what is happening for the child.",
    ),
    "information-sharing": (
        "One agency knew about the risk, but the professionals working with the family were never told.",
        "Strategy discussions did not include all relevant agencies, so decisions were made without the full picture.",
        "Fears about data protection and consent should never stop practitioners sharing information to keep a child safe.",
    ),
    "voice-of-child": (
        "Direct work with the child was limited and their experience of home was not understood.",
        "Practice was not child-centred: the focus was on the adults' needs rather than the child's.",
        "What the child said and how they behaved was not recorded or used to inform assessments.",
    ),
    "fathers-male-carers": (
        "Assessments did not consider the history and risk of other significant males in the household.",
        "Men who were caring for the baby were not known to health visitors or midwives.",
        "Paternal family members were not included in assessments or plans for the child.",
    ),
    "safe-sleep": (
        "Parents were not given safer sleep advice that took account of their circumstances, such as bed-sharing after drinking.",
        "A non-accidental injury to an infant under one year old was not recognised.",
        "Health visitors and midwives should discuss safe sleeping and coping with crying at every contact.",
    ),
    "neglect": (
        "The graded care profile was not used to assess the quality of care the child received.",
        "Children were living in poor home conditions with a lack of supervision over a long period.",
        "Missed medical appointments were not seen as a sign that the child's health needs were being neglected.",
    ),
    "domestic-abuse": (
        "Incidents of violence between the parents were treated as isolated events rather than a pattern of abuse.",
        "Practitioners did not understand how coercive control affected the mother's ability to protect the children.",
        "The risk posed by a perpetrator of domestic abuse who joined the household was not assessed.",
    ),
    "exploitation": (
        "Young people being criminally exploited were treated as offenders rather than as victims.",
        "Exclusion from school and going missing were early signs that a child was being drawn into exploitation.",
        "Peer groups and places outside the home where children were at risk of harm were not assessed.",
    ),
    "escalation-challenge": (
        "Practitioners did not feel confident to challenge the decision to close the case.",
        "When concerns were not responded to, they were not escalated to managers.",
        "Disagreements between agencies about the level of risk were left unaddressed and the escalation policy was not used.",
    ),
    "mental-health": (
        "A parent's mental illness affected their capacity to care for the children and was not assessed.",
        "A young person who self-harmed was waiting for mental health support.",
        "Adult mental health services did not consider the parent's children.",
    ),
    "missing-education": (
        "Children who are not in school are less visible to professionals who could identify harm.",
        "Parents' decision to home educate should prompt a check on whether the child is safe.",
        "Poor school attendance and exclusion were not recognised as safeguarding concerns.",
    ),
    "send-neurodiversity": (
        "Disabled children in residential special schools were not safeguarded from abuse.",
        "The child's learning disability and communication needs meant their distress was not understood.",
        "Children with autism may show harm differently, and assessments should be adapted to their needs.",
    ),
    "transitions": (
        "Young people moving into adulthood lose support when they move from children's services to adult services.",
        "Risks were lost when the family moved to another local authority area and the case was transferred.",
        "Stepping a case down from child protection led to the loss of oversight of the child.",
    ),
}


def _without(pattern: str, drop: tuple[str, ...], add: tuple[str, ...] = ()) -> str:
    alts = alternatives(pattern)
    missing = [d for d in drop if d not in alts]
    if missing:
        raise ValueError(f"not an alternative of the pattern: {missing[0]}")
    return "|".join([a for a in alts if a not in drop] + list(add))


def vocabularies() -> dict[str, dict[str, str]]:
    """Candidate vocabularies by name (theme key -> regular expression), the served one first."""
    served = {t.key: t.keywords for t in TAXONOMY}
    strict = {k: _without(rx, GENERIC.get(k, ()), STRICT_FORMS.get(k, ())) for k, rx in FIELD.items()}
    return {
        "served": served,
        "field": FIELD,
        "field, strict": strict,
        "served + field": {k: f"{served[k]}|{FIELD[k]}" for k in served},
        "served + field, strict": {k: f"{served[k]}|{strict[k]}" for k in served},
        "served and field, both strict": {k: f"{_without(served[k], SERVED_GENERIC.get(k, ()))}|{strict[k]}" for k in served},
    }
