"""The content that ships in content/: it passes every check and covers what it must."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from voiceref.cli import main
from voiceref.config import ROOT
from voiceref.content import load_site
from voiceref.content.quality import abbreviations_in, check_quality
from voiceref.search import IndexSearch, build_index
from voiceref.speech.lexicon import load_lexicon

CONTENT = ROOT / "content"

# Terms the encyclopaedia must explain, each as its own glossary entry (slug).
REQUIRED_GLOSSARY = """
ataxia balance-problems bladder-problems bowel-problems clonus cognitive-problems depression anxiety
diplopia dizziness-and-vertigo dysarthria dysaesthesia dysphagia fatigue foot-drop heat-sensitivity
uhthoffs-phenomenon lhermittes-sign ms-hug myoclonus neuropathic-pain numbness nystagmus optic-neuritis
paraesthesia paroxysmal-symptoms pseudobulbar-affect restless-legs-syndrome seizures sexual-problems
sleep-problems spasms spasticity tremor trigeminal-neuralgia weakness internuclear-ophthalmoplegia
hypnic-jerks multiple-sclerosis relapsing-remitting-ms secondary-progressive-ms primary-progressive-ms
active-and-progressive-disease clinically-isolated-syndrome radiologically-isolated-syndrome relapse
pseudo-relapse remission progression-independent-of-relapse-activity myelin demyelination remyelination
lesion axon oligodendrocyte central-nervous-system spinal-cord optic-nerve blood-brain-barrier
autoimmune-disease inflammation neurodegeneration brain-atrophy t-cells b-cells epstein-barr-virus
vitamin-d neuromyelitis-optica-spectrum-disorder mog-antibody-disease paediatric-ms mcdonald-criteria mri
gadolinium t1-and-t2-lesions central-vein-sign lumbar-puncture cerebrospinal-fluid oligoclonal-bands
evoked-potentials optical-coherence-tomography neurofilament-light-chain edss neurological-examination
differential-diagnosis disease-modifying-therapy interferon-beta glatiramer-acetate teriflunomide
dimethyl-fumarate diroximel-fumarate fingolimod siponimod ozanimod ponesimod natalizumab ocrelizumab
ofatumumab ublituximab alemtuzumab cladribine mitoxantrone corticosteroids methylprednisolone
plasma-exchange autologous-haematopoietic-stem-cell-transplantation
progressive-multifocal-leukoencephalopathy jc-virus baclofen intrathecal-baclofen tizanidine gabapentin
pregabalin clonazepam piracetam sodium-valproate levetiracetam primidone phenytoin amantadine modafinil
fampridine botulinum-toxin nabiximols physiotherapy occupational-therapy speech-and-language-therapy
functional-electrical-stimulation intermittent-self-catheterisation neurologist ms-nurse
multidisciplinary-team mobility-aids assistive-technology screen-reader voice-control pregnancy-and-ms
exercise diet vaccination work-and-reasonable-adjustments driving carers
""".split()

MINIMUM = {"glossary": 150, "essays": 8, "news": 12, "people": 10, "resources": 5, "about": 3}


@pytest.fixture(scope="module")
def site():
    return load_site(CONTENT)


@pytest.fixture(scope="module")
def bundled_search(site, tmp_path_factory):
    return IndexSearch(build_index(site.articles, tmp_path_factory.mktemp("bundled") / "search"))


def test_voiceref_check_passes_on_the_bundled_content():
    result = CliRunner().invoke(main, ["check", "--content", str(CONTENT)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("section", "minimum"), MINIMUM.items())
def test_each_section_has_enough_articles(site, section, minimum):
    assert len(site.in_section(section)) >= minimum


def test_every_required_term_has_its_own_entry(site):
    missing = [slug for slug in REQUIRED_GLOSSARY if site.get("glossary", slug) is None]
    assert missing == []


def test_glossary_entries_are_well_formed(site):
    for article in site.in_section("glossary"):
        words = len(article.text.split())
        assert 120 <= words <= 500, (article.slug, words)
        assert len(article.related) >= 2, article.slug
        assert any(source.url for source in article.sources), article.slug


def test_abbreviations_in_titles_and_aliases_have_spoken_expansions(site):
    lexicon = load_lexicon(CONTENT / "lexicon.yaml")
    unexpanded = {
        (article.slug, abbreviation)
        for article in site.in_section("glossary")
        for name in (article.title, *article.aliases)
        for abbreviation in abbreviations_in(name)
        if abbreviation not in lexicon.abbreviations
    }
    assert unexpanded == set()


def test_no_alias_is_shared_between_entries(site):
    report = check_quality(site.articles, {a.key: (lambda field: 1) for a in site.articles}, None)
    assert [str(p) for p in report.problems if "also used by" in str(p)] == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Ocrevus", "ocrelizumab"),
        ("Tysabri", "natalizumab"),
        ("Lioresal", "baclofen"),
        ("Sativex", "nabiximols"),
        ("pins and needles", "paraesthesia"),
        ("double vision", "diplopia"),
        ("tiredness", "fatigue"),
        ("myoclonis", "myoclonus"),
        ("spastisity", "spasticity"),
    ],
)
def test_search_finds_entries_by_lay_terms_and_brand_names(bundled_search, query, slug):
    urls = [hit.url for hit in bundled_search.search(query).hits[:3]]
    assert f"/glossary/{slug}" in urls, urls


def test_no_summary_reads_above_the_grade_limit(site):
    report = check_quality(site.articles, {a.key: (lambda field: 1) for a in site.articles}, None)
    assert [str(w) for w in report.warnings if "reads at grade" in str(w)] == []


# Where a reader may need help fast, the entry carries a care card of at least these levels.
CARE_CARDS = {
    "relapse": {"urgent", "emergency"},
    "optic-neuritis": {"urgent"},
    "vision-problems": {"urgent"},
    "diplopia": {"urgent", "emergency"},
    "dysphagia": {"urgent"},
    "depression": {"urgent", "emergency"},
    "emotional-changes": {"urgent", "emergency"},
    "bladder-problems": {"non-urgent", "urgent"},
    "pseudo-relapse": {"urgent"},
    "natalizumab": {"urgent"},
    "baclofen": {"urgent", "emergency"},
    "intrathecal-baclofen": {"urgent", "emergency"},
    "numbness": {"emergency"},
    "dysarthria": {"emergency"},
}


@pytest.mark.parametrize(("slug", "levels"), CARE_CARDS.items())
def test_urgent_help_is_a_care_card(site, slug, levels):
    from bs4 import BeautifulSoup

    cards = BeautifulSoup(site.get("glossary", slug).html, "html.parser").select("div.care-card")
    found = {c["class"][1].removeprefix("care-card-") for c in cards}
    assert levels <= found, (slug, found)
