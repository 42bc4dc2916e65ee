"""The golden query set (issue 9): what a reader types into the search box of the demo
site (wordpress/demo_data), and the questions that must come up in the first three results.

Expectations were set by reading every demo answer, not by running an engine. Each
expected slug must be among the top 3, in any order; where several questions answer a
query equally well only one or two are named, so no ranking between equals is imposed.
tests/search/test_search_golden.py runs them on SQLite and on PostgreSQL.
"""

# The demo's questions, by what they answer.
CMA_COUNTRIES = "which-countries-accept-cma-certilyst"
CMA_PASSING_GRADE = "what-grade-do-you-need-to-pass-the-cma-exam"
CMA_FIRST_ATTEMPT = "can-you-pass-the-cma-exam-on-your-first-attempt"
CMA_STUDY_TIME = "how-long-does-it-take-to-study-for-the-cma-exam"
CMA_RETAKE = "how-many-times-can-you-retake-the-cma-exam"
CMA_FAIL = "what-happens-if-you-fail-the-cma-exam-2"  # the old site's question 549
PTCB_FAIL = "what-happens-if-you-fail-the-ptcb-exam"
PTCB_HARD = "how-hard-is-the-ptcb-exam"
PTCB_PASSING_SCORE = "what-is-the-passing-score-for-the-ptcb-exam"
NCLEX_QUESTIONS = "how-many-questions-are-on-the-nclex"
NCLEX_RETAKE_WAIT = "how-long-do-you-have-to-wait-to-retake-the-nclex"
NCLEX_NEXT_GENERATION = "what-is-next-generation-nclex"
PMP_ELIGIBILITY = "what-are-the-pmp-eligibility-requirements"
PMP_SCORING = "how-is-the-pmp-exam-scored"

EXAM_QUESTIONS = {
    "cma": {CMA_COUNTRIES, CMA_PASSING_GRADE, CMA_FIRST_ATTEMPT, CMA_STUDY_TIME, CMA_RETAKE, CMA_FAIL},
    "ptcb": {PTCB_FAIL, PTCB_HARD, PTCB_PASSING_SCORE},
    "nclex": {NCLEX_QUESTIONS, NCLEX_RETAKE_WAIT, NCLEX_NEXT_GENERATION},
    "pmp": {PMP_ELIGIBILITY, PMP_SCORING},
}

KINDS = ("misspelling", "plural", "acronym", "two-word", "phrased", "phrase-in-quotes")

# (query, slugs that must each be in the top 3, kind)
GOLDEN: list[tuple[str, list[str], str]] = [
    # Misspellings: a letter doubled, dropped or swapped, as typed in a hurry.
    ("failling ptcb", [PTCB_FAIL], "misspelling"),
    ("exm retake", [CMA_RETAKE], "misspelling"),  # the one title with both "exam" and "retake"
    ("nclx questions", [NCLEX_QUESTIONS], "misspelling"),
    ("certifcation countries", [CMA_COUNTRIES], "misspelling"),
    ("pasing score", [PTCB_PASSING_SCORE], "misspelling"),
    ("wich countries accept cma", [CMA_COUNTRIES], "misspelling"),
    ("pmp eligability", [PMP_ELIGIBILITY], "misspelling"),
    ("next generaton nclex", [NCLEX_NEXT_GENERATION], "misspelling"),
    ("studdy for the cma", [CMA_STUDY_TIME], "misspelling"),
    ("ptbc passing score", [PTCB_PASSING_SCORE], "misspelling"),
    ("nclex retak", [NCLEX_RETAKE_WAIT], "misspelling"),
    # Plurals and other forms of the words in the titles.
    ("retakes", [CMA_RETAKE, NCLEX_RETAKE_WAIT], "plural"),  # the two titles about retaking
    ("retaking the cma", [CMA_RETAKE], "plural"),
    ("scores ptcb", [PTCB_PASSING_SCORE], "plural"),
    ("nclex retakes", [NCLEX_RETAKE_WAIT], "plural"),
    ("failed ptcb exam", [PTCB_FAIL], "plural"),
    ("pmp scores", [PMP_SCORING], "plural"),
    ("certifications accepted abroad", [CMA_COUNTRIES], "plural"),
    ("studying for the cma", [CMA_STUDY_TIME], "plural"),
    ("failing the cma", [CMA_FAIL], "plural"),
    ("passing scores", [PTCB_PASSING_SCORE], "plural"),
    ("pmp requirement", [PMP_ELIGIBILITY], "plural"),
    # Exam acronyms. PTCB and NCLEX have three questions each, all with the acronym in
    # the title: naming the three is "only that exam's questions in the top 3", no order.
    ("PTCB", [PTCB_FAIL, PTCB_HARD, PTCB_PASSING_SCORE], "acronym"),
    ("nclex", [NCLEX_QUESTIONS, NCLEX_RETAKE_WAIT, NCLEX_NEXT_GENERATION], "acronym"),
    ("pmp", [PMP_ELIGIBILITY, PMP_SCORING], "acronym"),
    ("pmi", [PMP_ELIGIBILITY, PMP_SCORING], "acronym"),  # the body that awards the PMP
    ("ptce", [PTCB_PASSING_SCORE, PTCB_FAIL], "acronym"),  # the exam's own name, in these two
    ("ngn", [NCLEX_NEXT_GENERATION], "acronym"),
    # Two words.
    ("passing score", [PTCB_PASSING_SCORE], "two-word"),
    ("cma retake", [CMA_RETAKE], "two-word"),
    ("ptcb fail", [PTCB_FAIL], "two-word"),
    ("nclex wait", [NCLEX_RETAKE_WAIT], "two-word"),
    ("pmp eligibility", [PMP_ELIGIBILITY], "two-word"),
    ("cma countries", [CMA_COUNTRIES], "two-word"),
    ("cma score", [CMA_PASSING_GRADE], "two-word"),
    ("first attempt", [CMA_FIRST_ATTEMPT], "two-word"),
    ("case studies", [NCLEX_NEXT_GENERATION], "two-word"),
    ("adaptive testing", [NCLEX_QUESTIONS], "two-word"),
    ("drug names", [PTCB_HARD], "two-word"),
    ("scaled score", [CMA_PASSING_GRADE, PTCB_PASSING_SCORE], "two-word"),
    ("pass rates", [CMA_FIRST_ATTEMPT], "two-word"),
    ("study time", [CMA_STUDY_TIME], "two-word"),
    # Questions as a reader types them: lower case, no question mark, their own words.
    ("how many times can i retake the cma", [CMA_RETAKE], "phrased"),
    ("what if i fail the ptcb", [PTCB_FAIL], "phrased"),
    ("how long to study for cma", [CMA_STUDY_TIME], "phrased"),
    ("is the ptcb hard", [PTCB_HARD], "phrased"),
    ("what score do i need on the pmp", [PMP_SCORING], "phrased"),
    ("what score do i need to pass the cma", [CMA_PASSING_GRADE], "phrased"),
    ("how many questions does the nclex have", [NCLEX_QUESTIONS], "phrased"),
    ("can i work abroad with a cma", [CMA_COUNTRIES], "phrased"),
    ("what happens if i fail the cma", [CMA_FAIL], "phrased"),
    ("when can i retake the nclex", [NCLEX_RETAKE_WAIT], "phrased"),
    ("do i need a degree for the pmp", [PMP_ELIGIBILITY], "phrased"),
    ("can you pass the cma the first time", [CMA_FIRST_ATTEMPT], "phrased"),
    ("what is the new nclex format", [NCLEX_NEXT_GENERATION], "phrased"),
    # A phrase in double quotes, as search engines taught readers.
    ('"next generation"', [NCLEX_NEXT_GENERATION], "phrase-in-quotes"),
    ('"passing score"', [PTCB_PASSING_SCORE], "phrase-in-quotes"),
    ('"first attempt"', [CMA_FIRST_ATTEMPT], "phrase-in-quotes"),
]

# (query, exam): every one of the top 3 (and at least one hit) is a question on that
# exam. For CMA, six questions answer equally well, so none is named.
TOP_3_FROM_EXAM: list[tuple[str, str]] = [
    ("cma", "cma"),
    ("aama", "cma"),  # the body that awards the CMA
]

# Queries that must find nothing: a stop word or a single letter says nothing about
# what the reader wants, and listing every question is not an answer.
NO_RESULTS: list[str] = ["the", "a", "c"]

# (query, slugs that must not be among the hits at all)
MUST_NOT_FIND: list[tuple[str, list[str]]] = [
    # An unfinished "nclex": "ncl" inside "including" is no reason to show PMP answers.
    ("ncl", [PMP_ELIGIBILITY, PMP_SCORING]),
]
