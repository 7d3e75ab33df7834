"""Per-language rules of the de-identifier: titles, inflection endings, name endings, address
and class words. Word lists come from packages (packages.py) and the library (lexicon.py);
what stands here is grammar that no list gives."""

from __future__ import annotations

from dataclasses import dataclass

# Words that stand before a name (lower-case): "Herr Koch", "pani Nowak", "domnul Popa".
_TITLES = {
    "en": "mr mrs ms miss mx dr prof mister sir madam",
    "de": "herr herrn frau dr prof",
    "pl": "pan pana panu panem pani panią panie państwo dr prof",
    "ro": "domnul domnului doamna doamnei dl dna d-na d-l domnișoara dr prof",
    "hu": "dr prof",
}
# Hungarian puts the title after the name: "Kovács úr", "Szabó tanárnő", "Erzsi néni".
_TITLES_AFTER = {
    "hu": "úr urat úrnak úrral asszony asszonyt asszonnyal néni nénit nénivel néninek bácsi "
          "bácsit bácsival bácsinak tanárnő tanárnőt tanárnővel tanárnőnek tanár tanárt",
}
# Inflection: (ending, replacement) pairs that lead an inflected form back to a base form,
# so "Holokauście" meets "Holokaust", "Tomaszowi" meets "Tomasz", "Pétert" meets "Péter".
_ENDINGS = {
    "en": "'s: ’s: s: es: ies:y ed: ing:",
    "de": "s: es: n: en: e: er: ern: ns: em: innen:in",
    "pl": "owi: em: iem:i a: u: y: i: ie: ę:a ą:a y:a i:a ie:a ej:a ego:i emu:i im:i ą: "
          "iej:a ego: emu: ym: ach: om: ami: ów: owie: ska:ski skiej:ska ską:ska skiego:ski "
          "skiemu:ski skim:ski ście:st cie:t dzie:d rze:r le:ł nie:n sie:s ka:ek kowi:ek "
          "kiem:ek ku:ek ła:eł łowi:eł łem:eł ię:ia ią:ia ii:ia i:ia cy:k dzy:g",
    "ro": "ei:a ului: ul: lui: a: ii:a ei:ă le: i: ele: lor: uri: ile: ilor: ă: ei:e iei:ia",
    "hu": "t: ot: et: öt: at: nak: nek: val: vel: al: el: tól: től: nál: nél: hoz: hez: höz: "
          "ról: ről: ra: re: ba: be: ban: ben: ból: ből: on: en: ön: n: ék: é: ért: ig: ként: "
          "ul: ül: ét: éknek: éket: éhez: ékkel: nál: tól: ja: je: jának: jét: ot: okat: ek: ok:",
}
# Surname endings that mark a name even when no list has it ("Wrzesińska", "Vasilescu").
_NAME_ENDINGS = {
    "en": (),
    "de": (),
    "pl": ("ski", "ska", "cki", "cka", "dzki", "dzka", "wicz", "czyk", "czak", "skiego",
           "skiej", "ską", "skiemu", "ckiego", "ckiej", "wicza", "wiczowi"),
    "ro": ("escu", "eanu", "ăscu", "oiu", "uță"),
    "hu": (),
}
# Short forms of first names that Faker's lists do not hold (pupils are called so).
_NICKNAMES = {
    "en": "tom tommy jim jimmy bob bobby liz lizzie kate katie ben benny jack jake danny "
          "mike mikey nick sam sammy alex chris matt andy dave steve",
    "de": "lena leni lenny paul jonas finn luca basti flo max moritz timo tobi jule lisa "
          "mia nele ole tim ben jan uli steffi",
    "pl": "kasia basia gosia zosia ola ania asia magda ewka tomek jurek wojtek krzysiek "
          "bartek kuba antek franek staś józek maciek olek grześ zbyszek rysiek julka "
          "kuba",
    "ro": "ionuț ionut andrei radu vlad sorin gigel costel fănel fanel mirela ioana dana "
          "geo cristi mihai bogdan nelu ionel marius",
    "hu": "pisti zsófi zsofi gabi kati zsuzsi laci jani feri gyuri misi andris bence dani "
          "marci peti tomi zoli robi evi eszti juli",
}
# Words after which a German capitalised word is a noun, not a name: "der Koch", "im Winter".
_DETERMINERS = {
    "de": "der die das dem den des ein eine einem einen einer eines kein keine keinem keinen "
          "keiner keines mein meine meinem meinen meiner dein deine sein seine seinem seinen "
          "seiner ihr ihre ihrem ihren ihrer unser unsere unserem unseren unserer euer eure "
          "jeder jede jedes jedem jeden dieser diese dieses diesem diesen im am zum zur vom "
          "beim ins ans aufs als",
}
# German endings of nouns that names hardly have ("Zeitung", "Feminismus", "Unterkunft").
NOUN_ENDINGS = {
    "de": ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "ismus",
           "tion", "tionen", "ität", "nis", "nisse", "tum", "chen", "lein", "linge", "ment",
           "erin", "erinnen", "ik", "enz", "anz", "ien", "isten", "anten", "eur", "eure",
           "kunft", "stätte", "ur"),
}
# Words that make the digit-letter after them a class: "Klasse 8c", "klasa 3b", "class 7b".
_CLASS_WORDS = {
    "en": "class form year",
    "de": "klasse klassen jahrgang",
    "pl": "klasa klasy klasie klasę klasą",
    "ro": "clasa clasei",
    "hu": "osztály osztályba osztályban osztályos osztályt",
}
# Street words per language, before the name (Polish, Romanian) or after it (the others).
STREET_BEFORE = {
    "pl": r"ul\.|ulica|ulicy|ulicą|ulicę|al\.|aleja|alei|aleję|os\.|osiedle|osiedlu|pl\.|placu",
    "ro": r"str\.|strada|străzii|strãzii|bd\.|b-dul|bulevardul|calea|aleea|șoseaua|soseaua|"
          r"piața|intrarea|splaiul",
}
STREET_AFTER = {
    "en": r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Drive|Crescent|Grove|Gardens|Terrace|"
          r"Square|Mews",
    "de": r"Straße|Strasse|Str\.|Weg|Platz|Allee|Ring|Gasse|Damm|Ufer|Chaussee",
    "hu": r"utca|utcában|utcán|utcai|utcából|utcára|u\.|út|úton|útján|úti|tér|téren|téri|"
          r"körút|körúton|köz|közben|sor|soron|sétány|fasor|rakpart|lakótelep|lakótelepen",
}
# German street names written as one word: "Lindenstraße", "Goetheplatz", "Amselweg" (found
# in a text of any language).
STREET_SUFFIXES = ("straße", "strasse", "str", "allee", "gasse", "chaussee", "weg", "platz",
                   "ring", "damm", "ufer", "steig", "pfad")
# Of those, the ones that also end common words ("Spielplatz", "Schulweg"): a street only
# with a house number.
COMMON_STREET_SUFFIXES = ("weg", "platz", "ring", "damm", "ufer", "steig", "pfad")
# Words after which a quoted or capitalised name is a group's, channel's or club's name.
NAME_INTRODUCERS = (
    r"called|named|calls? (?:himself|herself|themselves)|namens|genannt|nennen sich|"
    r"nennt sich|o nazwie|nazywa(?:ny|na|ją|jący)? (?:siebie |się )?|nazywają siebie|"
    r"numit[ăe]?|numită|intitulat[ăe]?|își (?:spun|zic)|își spune|nevű|néven|nevezik magukat"
)
CLUB_PREFIXES = r"SV|FC|TSV|VfB|VfL|SC|SG|BSC|KS|MKS|LKS|GKS|CS|ACS|FK|SE|MTK|DVSC|TJ"

@dataclass(frozen=True)
class LanguageRules:
    """The grammar the de-identifier needs for one language."""

    language: str
    titles: frozenset[str]
    titles_after: frozenset[str]
    endings: tuple[tuple[str, str], ...]
    name_endings: tuple[str, ...]
    nicknames: frozenset[str]
    noun_endings: tuple[str, ...]
    determiners: frozenset[str]
    class_words: frozenset[str]
    nouns_capitalised: bool  # German writes every noun with a capital letter
    ambiguous_capitals: bool  # English capitalises common words inside sentences ("Black")
    names_inflect: bool  # Polish, Romanian, Hungarian decline names ("Tomaszowi", "Pétert")

    def bases(self, word: str) -> set[str]:
        """The word (lower-case) and the base forms its endings lead back to (bases of at
        least four letters): "tomaszowi" -> {"tomaszowi", "tomasz", ...}."""
        lowered = word.lower()
        found = {lowered}
        for ending, replacement in self.endings:
            if lowered.endswith(ending) and len(lowered) - len(ending) >= 3:
                base = lowered[: len(lowered) - len(ending)] + replacement
                if len(base) >= 4:
                    found.add(base)
                    found.add(_undoubled(base))
        return found


def _undoubled(base: str) -> str:
    """Hungarian doubles the last consonant before -val/-vel: "Péterrel", "Kováccsal"."""
    for long, short in (("ccs", "cs"), ("ssz", "sz"), ("ggy", "gy"), ("tty", "ty"),
                        ("nny", "ny"), ("lly", "ly"), ("zzs", "zs")):
        if base.endswith(long):
            return base[: -len(long)] + short
    if len(base) > 4 and base[-1] == base[-2] and base[-1].isalpha():
        return base[:-1]
    return base


def _pairs(spec: str) -> tuple[tuple[str, str], ...]:
    """ "owi: ę:a" -> (("owi", ""), ("ę", "a")), longest endings first."""
    pairs = {tuple(item.split(":", 1)) for item in spec.split()}
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair)))  # type: ignore[arg-type]


def rules_for(language: str) -> LanguageRules:
    """The rules of one of the five languages (English for any other)."""
    code = language if language in _ENDINGS else "en"
    return _RULES[code]


_RULES = {
    code: LanguageRules(
        language=code,
        titles=frozenset(_TITLES[code].split()),
        titles_after=frozenset(_TITLES_AFTER.get(code, "").split()),
        endings=_pairs(_ENDINGS[code]),
        name_endings=_NAME_ENDINGS[code],
        nicknames=frozenset(_NICKNAMES[code].split()),
        noun_endings=NOUN_ENDINGS.get(code, ()),
        determiners=frozenset(_DETERMINERS.get(code, "").split()),
        class_words=frozenset(_CLASS_WORDS[code].split()),
        nouns_capitalised=code == "de",
        ambiguous_capitals=code == "en",
        names_inflect=code in ("pl", "ro", "hu"),
    )
    for code in _ENDINGS
}
