"""The English the readability checks need: syllables for Flesch reading ease, and the
word lists for transition words, passive voice, sentence beginnings and familiar long
words. Written for this project from English grammar, not copied from Yoast's lists
(which are larger): each list says how it differs from Yoast's behaviour.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Abbreviations whose full stop does not end a sentence ("e.g. Azure", "Dr. Smith").
# "etc." is left out on purpose: it usually does end one.
ABBREVIATIONS = frozenset(
    """e.g i.e vs approx dept est fig inc ltd co corp jr sr dr mr mrs ms prof st no nos vol
    min max mt ft jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    u.s u.k u.s.a a.m p.m ph.d cf al""".split()  # noqa: SIM905 (a list reads better as words)
)

# Words and phrases that link a sentence to the one before: Yoast's textTransitionWords
# counts a sentence that holds any of them. Yoast's English list is longer (~300
# entries); this one keeps the common ones and leaves out "and", "but", "or", "so",
# which Yoast does not count either.
TRANSITION_WORDS = frozenset(
    """accordingly additionally afterward afterwards also alternatively although
    altogether admittedly basically because before besides briefly certainly chiefly
    clearly comparatively consequently conversely correspondingly currently either
    equally especially eventually evidently finally first firstly frequently further
    furthermore generally hence however identically importantly indeed initially
    instead last lastly later likewise mainly meanwhile moreover namely nevertheless
    next nonetheless notably notwithstanding obviously occasionally otherwise overall
    particularly presently previously primarily second secondly similarly simultaneously
    since specifically still subsequently surely then thereafter therefore third
    thirdly though thus typically ultimately undoubtedly unless unlike until usually
    whereas whenever while yet""".split()  # noqa: SIM905
)
TRANSITION_PHRASES = tuple(
    phrase.split()
    for phrase in (
        "above all",
        "after all",
        "after that",
        "all in all",
        "as a result",
        "as a rule",
        "as long as",
        "as soon as",
        "as well as",
        "at first",
        "at last",
        "at the same time",
        "because of",
        "by contrast",
        "due to",
        "even if",
        "even so",
        "even though",
        "first of all",
        "for example",
        "for instance",
        "for this reason",
        "in addition",
        "in any case",
        "in brief",
        "in conclusion",
        "in contrast",
        "in fact",
        "in general",
        "in other words",
        "in particular",
        "in short",
        "in summary",
        "in the end",
        "in the meantime",
        "in the same way",
        "on the contrary",
        "on the other hand",
        "on top of that",
        "so that",
        "such as",
        "that is",
        "that said",
        "to begin with",
        "to sum up",
        "with this in mind",
    )
)

# Forms of "be" and "get" that make a passive with a past participle ("is paid",
# "got rejected"); contractions are read as their full form.
PASSIVE_AUXILIARIES = frozenset(
    """am is are was were be been being get gets got gotten getting
    i'm you're we're they're isn't aren't wasn't weren't""".split()  # noqa: SIM905
)
# Words that may stand between the auxiliary and the participle ("is not always paid").
PASSIVE_FILLERS = frozenset(
    """not never also always often usually typically generally still already just only
    then now all both each sometimes rarely automatically normally currently""".split()  # noqa: SIM905
)
# Irregular past participles (Yoast's English research does the same with its own
# list); "gone", "come", "become" and "stood" are left out: after "is" they are
# not passive.
IRREGULAR_PARTICIPLES = frozenset(
    """arisen awoken beaten begun bent bet bid bitten bled blown born borne bought bound
    bred broken brought built burnt caught chosen clung cut dealt done drawn dreamt driven
    drunk dug eaten fallen fed felt fled flown flung forbidden forecast foreseen forgiven
    forgotten found fought frozen given ground grown held heard hidden hit hung hurt kept
    knelt known laid led lent let lit lost made meant met misled mistaken misunderstood
    outdone overcome overdone overridden overrun overseen overtaken paid proven put quit
    read rebuilt redone reset retaken rewritten rid ridden risen run rung said sat seen
    sent set sewn shaken shed shot shown shrunk shut slain slid slung sold sought sown
    spent spilt split spoken spread sprung spun stolen struck strung stuck stung sung sunk
    sworn swept swollen swung taken taught thought thrown thrust told torn trodden
    understood undertaken undone upheld upset withdrawn withheld woken won worn wound
    woven written wrung""".split()  # noqa: SIM905
)
# Words ending in -ed that are not past participles.
NOT_PARTICIPLES = frozenset(
    """bed bred feed hundred indeed need seed shed sled speed steed weed wed red bled
    embed naked wicked sacred rugged ragged beloved""".split()  # noqa: SIM905
)

# First words that say little on their own: Yoast's sentenceBeginnings then compares
# the first two words ("The exam… The fee…" do not start alike).
SENTENCE_BEGINNING_EXCEPTIONS = frozenset(
    """a an the this that these those one two three four five six seven eight nine ten
    my your our their his her its""".split()  # noqa: SIM905
)

# Question words that start a heading phrased as a question.
INTERROGATIVES = frozenset(
    """what why how when where who whom whose which can could do does did is are was were
    will would should shall may might must has have had am""".split()  # noqa: SIM905
)

# Words that open a question before its subject ("How much does the…"): with the
# function words, what may stand before the keyphrase in a title that still "begins"
# with it (Yoast's English function-word list holds them; faqs.words' stop list lacks
# some).
QUESTION_OPENERS = INTERROGATIVES | frozenset(["much", "many", "long", "often", "far", "soon"])

# Long words (over 7 letters, Yoast's wordComplexity limit for English) that readers
# know. Yoast compares against a frequency list of the most common English words; this
# shorter list holds the common ones and the everyday words of certification exams, and
# is compared by stem, so "questions" count as "question" and a shorter word's longer
# forms ("licences", "payments") as the word.
FAMILIAR_LONG_WORDS = frozenset(
    """ability absolutely academic accepted accepting accident according account accurate
    actually addition additional address advanced advantage afternoon agreement although
    american analysis announced another anything anywhere applicant application
    appointment approach approved argument around assessment assistant associate
    association attempt attention audience authority available average background
    balanced bathroom beautiful becoming bedroom behavior behaviour believed benefits
    birthday boyfriend breakfast brilliant broadcast brother building business calendar
    campaign candidate capacity category ceremony certainly certificate certification
    certified challenge champion changing character checklist chemical children
    chocolate christmas citizens classroom clinical clothing colleague collection
    college comfortable comment commercial committee common community company
    comparison complete completely computer concerned condition confidence connection
    consider considered construction contact content continue contract control
    conversation correct country courses coverage creative credential criminal critical
    customer daughter deadline december decision definitely degree delivery department
    describe described description designed detailed determine developer development
    difference different difficult direction directly director discount discussion
    distance document download dramatic duration earnings economic economy education
    effective efficient election electric elements eligible eligibility elsewhere
    emergency employee employer employment engineer engineering enormous enrollment
    entirely equipment especially essential estimate evening everybody everyone
    everything everywhere evidence exactly examination example excellent exchange
    exercise expected expensive experience explained external facility familiar family
    favorite favourite february feedback festival financial following football foreign
    formula forward founded fourteen framework frequently friendly function furniture
    generally generation girlfriend government graduate greatest guidance handbook
    happened hardware headline healthcare helpful historical history holiday homework
    hospital however hundred identity immediately important impossible improve
    included including increase independent individual industry information
    insurance interest interested interesting internal international internet
    interview introduction investment involved january language learning licence
    license licensed licensing location magazine maintain majority management manager
    marketing material measure medical medicine membership mentioned message military
    minimum minister mistakes modules monitoring mountain multiple national
    natural necessary negative neighbor neighbour network nineteen normally november
    nowadays numerous obviously occasion official online operation opinion
    opportunity organization organisation original otherwise outcome outside overall
    package painting parents particular partner passport patients payment percent
    percentage perfect perfectly performance personal physical planning platform
    pleasure political popular position positive possible potential practice practical
    practise pregnant premium preparation prepared president pressure previous
    previously printing priority private probably problem procedure process produce
    product production professional professor program programme progress project
    property proposal protection provided provider provincial purchase qualification
    qualified quarterly question questions quickly realistic reasonable received
    recently recognised recognized recommend recommended recording recovery reference
    regional register registered registration regular regularly relationship relative
    relatively religious remember reported republic required requirement research
    resident resource response restaurant retake retaking revision sandwich schedule
    scheduled scholarship science scientific scoring secondary secretary
    security selection semester sentence separate september serious services seventeen
    shopping shoulder situation software solution somebody someone something sometimes
    somewhere specific spending standard standards statement station strategy strength
    structure student students studying subject subjects success successful suddenly
    suggested summary supplies support surprise surprised syllabus teaching technical
    technology telephone television terrible thinking thirteen thousand together
    tomorrow tonight training transfer translation transport traveling travelling
    treatment tutorial typically understand understanding uniform university unusual
    updated usually valuable variety various vacation vegetables version volunteer
    weekend welcome whatever whenever wherever whether withdraw without wonderful
    workplace workshop yourself""".split()  # noqa: SIM905
)

_NOT_LETTERS = re.compile(r"[^a-z]")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Vowel pairs read as two syllables ("me-di-a", "ac-tu-al", "vi-de-o", "pre-mi-um",
# "var-i-ous", "ex-pe-ri-ence", "stud-y-ing", "a-re-a"), except in the endings and
# words where they are one ("-tion", "-cial", "-cious", "quality", "people", "million").
_TWO_SYLLABLE_PAIRS = re.compile(
    r"[^ct]ia(?!n[cst])|cia(?=t)|(?<![qg])u[ao]|(?<!p)eo(?!u)|iu|ii|ie(?=t)|[^aeiou]ier"
    r"|(?<![ct])ien(?:ce|t)|[^cgstxln]io|[ln]io(?!n)|(?<=[a-z])yi|[^aeiou]ea(?=s?$)"
)
# A silent final -e, -es or -ed ("make", "makes", "passed").
_SILENT_FINAL = re.compile(r"[^aeiouy](?:e|es|ed)$|ques?$")
# A silent -e before a suffix ("like-ly", "safe-ty", "use-ful", "manage-ment", "some-one").
_SILENT_INNER_E = re.compile(
    r"[^aeiouyl]e(?:ly|ty|ful|fully|ment|ments|ness|less|where|one|line|lines|frame|frames|times|way|ways)$"
)


@lru_cache(maxsize=16384)
def syllables(word: str) -> int:
    """The syllables of an English word, by rule (vowel groups, silent endings, vowel
    pairs read as two), as Yoast counts them for Flesch reading ease, not from a
    dictionary: a number counts one syllable a digit, an acronym one a letter ("PMP").
    On this project's demo answers it agrees with the CMU pronouncing dictionary on 96%
    of words and totals within 1% of it."""
    if word.isdigit():
        return len(word)
    if 2 <= len(word) <= 4 and word.isupper():
        return len(word)  # spelled out: P-M-P, C-M-A
    letters = _NOT_LETTERS.sub("", word.lower())
    if not letters:
        return 1
    count = len(_VOWEL_GROUPS.findall(letters)) + len(_TWO_SYLLABLE_PAIRS.findall(letters))
    if count > 1 and _SILENT_FINAL.search(letters) and not _sounded_ending("##" + letters):
        count -= 1
    if count > 1 and _SILENT_INNER_E.search(letters):
        count -= 1
    return max(1, count)


def _sounded_ending(letters: str) -> bool:
    """A final -e, -es or -ed that is its own syllable: "ta-ble", "chan-ges", "want-ed"
    (`letters` starts with two padding characters)."""
    if letters.endswith(("que", "ques")):
        return False
    if letters.endswith("e"):
        return letters[-2] == "l" and letters[-3] not in "aeiouyl"  # table, simple
    if letters.endswith("es"):
        if letters[-3] == "l" and letters[-4] not in "aeiouyl":  # tables
            return True
        return letters[-3] in "sxzgc" or letters[-4:-2] in ("ch", "sh")
    # -ed: sounded after t or d ("wanted"), and after consonant + l ("handled").
    return letters[-3] in "td" or (letters[-3] == "l" and letters[-4] not in "aeiouyl")
