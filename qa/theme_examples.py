"""Sentences that say what each theme of case-review learning is about, in the field's own words.

Written from the national Child Safeguarding Practice Review Panel's recurring themes and the
vocabulary of Working Together to Safeguard Children (2023), not from any collection's text. A
learning point's embedding is compared with them (qa.themes); evals.fit_themes also tried them as
extra training examples of a logistic regression.
"""

from __future__ import annotations

EXAMPLES: dict[str, tuple[str, ...]] = {
    "professional-curiosity": (
        "Practitioners need to be professionally curious and not accept what parents tell them at face value.",
        "Explanations for injuries or concerns should be checked, tested and triangulated with other sources.",
        "Disguised compliance: parents appeared to cooperate while the risks to the child did not change.",
        "Respectful uncertainty and a willingness to think the unthinkable were missing.",
        "Practitioners should follow up missed contacts and explore why a family is avoiding services.",
        "Recognising and responding to possible fabricated or induced illness.",
    ),
    "information-sharing": (
        "Information sharing between agencies was poor and key facts were not passed on.",
        "Multi-agency communication and joined-up working need to improve.",
        "Each agency held part of the picture and no one had the full history of the family.",
        "Records and concerns should be shared when a family moves between services.",
        "Health, police, schools and children's social care should share what they know at the earliest opportunity.",
        "A multi-agency chronology would have shown the pattern of concerns.",
    ),
    "voice-of-child": (
        "The voice of the child was not heard or recorded.",
        "Practitioners should understand the lived experience of the child, what a day in their life is like.",
        "Children should be seen and spoken to on their own and their wishes and feelings recorded.",
        "The child's views were not sought or did not influence the plan.",
        "Babies and non-verbal children also communicate through their behaviour, which should be observed.",
        "Children told professionals what was happening but were not listened to.",
    ),
    "fathers-male-carers": (
        "Fathers and male carers were not engaged, assessed or included in plans.",
        "The men in a baby's life were invisible to services.",
        "Partners and other men in the household were not known to agencies and their history was not checked.",
        "Services focused on the mother and overlooked the role and risk of the father.",
        "Engaging fathers, including those who do not live with the child.",
    ),
    "safe-sleep": (
        "Unsafe sleeping arrangements and co-sleeping with a baby, especially after alcohol or drugs.",
        "Sudden unexpected death in infancy and safer sleep advice for parents.",
        "Bruising or marks on a non-mobile baby must always be referred and investigated.",
        "Parents need support to cope with a crying baby to prevent abusive head trauma.",
        "Pre-birth assessment and planning for vulnerable expectant parents.",
        "Keeping babies under one safe from injury and accidents in the home.",
    ),
    "neglect": (
        "Neglect of a child's basic needs for food, warmth, hygiene, health care and supervision.",
        "The cumulative impact of long-standing neglect was not recognised and cases drifted.",
        "Children were repeatedly not brought to health and dental appointments.",
        "Adolescent neglect was not identified because teenagers were seen as able to look after themselves.",
        "Poor home conditions and unmet needs were accepted as normal for the family.",
        "Using a neglect toolkit to assess the child's circumstances.",
    ),
    "domestic-abuse": (
        "Children living with domestic abuse between the adults in their household.",
        "Coercive and controlling behaviour by a partner and its impact on the child.",
        "Children are victims of domestic abuse in their own right.",
        "Risk from the perpetrator of domestic violence was not assessed and the burden was placed on the victim.",
        "Referral to a multi-agency risk assessment conference for high-risk domestic abuse.",
    ),
    "exploitation": (
        "Child criminal exploitation and county lines drug dealing.",
        "Child sexual exploitation and grooming of young people.",
        "Children going missing from home or care as a sign of exploitation.",
        "Harm outside the home: extra-familial harm, serious youth violence, gangs and contextual safeguarding.",
        "Online harm, sharing of sexual images and harmful sexual behaviour between children.",
        "Modern slavery and trafficking and the national referral mechanism.",
    ),
    "escalation-challenge": (
        "Practitioners did not escalate their concerns when they disagreed with a decision.",
        "Professionals should challenge other agencies and use the escalation procedure.",
        "Professional disagreement was not resolved and the child stayed at risk.",
        "Supervision should give practitioners confidence to challenge and escalate.",
        "Thresholds for social care were disputed and decisions were not questioned.",
    ),
    "mental-health": (
        "Parental mental health problems and their impact on the care of children.",
        "Children and young people's mental health, self-harm and suicidal thoughts.",
        "Emotional wellbeing of young people and access to child and adolescent mental health services.",
        "Perinatal and postnatal depression and anxiety in parents.",
        "The toxic trio of domestic abuse, parental mental ill health and substance misuse.",
    ),
    "missing-education": (
        "Children missing education or not in school.",
        "Elective home education removed a child from the oversight of school staff.",
        "School exclusion, part-time timetables and poor attendance increase a child's vulnerability.",
        "Children taken off the school roll were not known to any professional.",
        "Persistent absence from school should be treated as a safeguarding concern.",
    ),
    "send-neurodiversity": (
        "Children with special educational needs and disabilities.",
        "Autism, ADHD and neurodiversity and how they affect a child's behaviour and communication.",
        "Diagnostic overshadowing: signs of abuse were attributed to the child's disability.",
        "Disabled children and children with communication needs are less able to tell anyone about harm.",
        "Parents with a learning disability need support adapted to their needs.",
        "An education, health and care plan for the child.",
    ),
    "transitions": (
        "Transitions between services, from children's to adult services at eighteen.",
        "Transitional safeguarding for young people approaching adulthood and care leavers.",
        "Families moving between local authority areas and cases transferred between areas.",
        "Moves between schools and from primary to secondary school.",
        "Step-down from child protection to child in need or early help.",
        "Transient families who move frequently and lose contact with services.",
    ),
}
