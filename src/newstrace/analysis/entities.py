"""Cross-article entity resolution: one canonical entity per real-world actor.

Rules (conservative; a wrong merge costs more than a missed one):

- People and everything else never merge with each other (spaCy's PERSON is reliable
  enough; ORG/GPE/LOC/NORP/FAC labels of one name often disagree, so those may merge).
- A full name (two or more name tokens once opening honorifics and initials are dropped)
  links to the person with the same first and last name and generational suffix
  ("Vladimir V. Putin" = "Vladimir Putin", but not "Ada Holm Jr."), or whose name differs
  only by a doubled letter ("Hilary" = "Hillary"); never when both show middle initials
  and these differ ("George W. Holm" is not "George H.W. Holm").
- A one-word person ("Holm", "Kim") links to a full-name person carrying that word as
  surname, or as first name when no known person carries it as surname ("Hillary"): the
  one its article names in full, however well known another is; when its article names
  several, only the one a distinctive role picks; when it names none, only when exactly
  one such person is known, or one has at least four times the links of every other.
  Otherwise, with several candidates, it is an entity of its article alone (the bare
  "Bush" of one article is not the bare "Bush" of another); with none, a surname-only
  entity shared across articles until a full name claims it. After an honorific
  ("Mr. Holm", "Sen. Holm") the word is a surname; "Mr." never joins a person known only
  as "Mrs."/"Ms." nor the reverse; a given or regnal name after its title ("Pope
  Adrian", "Queen Mab") and an acronym labelled PERSON ("GOP") join no full name.
- Other names link when their folded name or one of their aliases equals a known name,
  or a well-known acronym's expansion (`language/data/acronyms.json`: "AP" = "Associated
  Press"). Any other acronym joins the long name beside it in an article that shows
  both; elsewhere, the one organisation (or a clearly dominant one) whose long name has
  its initials ("LRC" is the "Lisk River Commission" of another article), unless the
  acronym alone is far better known than it ("Institute for Science and International
  Security (ISIS)" in one article does not make the "ISIS" of fifty others that
  institute). Places never link by initials.
- Full names are resolved before one-word names across the whole batch, so that the
  order of the articles does not decide whom a bare "Obama" joins.
- People's aliases never contain digits ("Holm 42-40" is a score).
- Metonymy: an entity with `refers_to` keeps its own canonical entity, but its *actor* is
  the canonical entity of what it refers to (a speaker "Pyongyang" acts as North Korea).
  A group word its article links to an organisation ("Republicans" -> the article's
  "Republican Party") acts, in an article that links it to nothing, as the organisation
  other articles link that word to.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from newstrace.analysis.text import (
    STOPWORDS,
    acronym,
    content_words,
    given_name_title,
    middle_initials,
    name_key,
    name_suffix,
    name_tokens,
    person_key,
    person_sex,
    person_sexes,
    titled_surname,
)
from newstrace.language import NAME_WORDS, acronym_expansions, given_name_sex
from newstrace.models import Entity, Record, stable_id
from newstrace.store import Transaction
from newstrace.store import analysis_queries as q

MAX_ALIASES = 40
MAX_ROLES = 20
DOMINANCE = 4


def canonical_id(key: str) -> str:
    """A stable id for the canonical entity founded under `key`."""
    return stable_id("E", key)


def is_person(entity_type: str) -> bool:
    """People resolve only against people."""
    return entity_type == "PERSON"


@dataclass
class EntityIndex:
    """Canonical entities and their lookup keys, read from the store as needed and
    written back at the end of a batch."""

    conn: Transaction
    article_id: str = ""
    keys: dict[str, set[str]] = field(default_factory=dict)
    rows: dict[str, q.CanonicalRow] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    new_keys: set[tuple[str, str]] = field(default_factory=set)
    pending: Counter[str] = field(default_factory=Counter)
    honorifics: dict[str, set[str]] = field(default_factory=dict)  # surname -> sexes seen
    acronyms: Counter[str] = field(default_factory=Counter)  # acronym -> articles alone
    batch_links: dict[str, set[str]] = field(default_factory=dict)  # article -> canonicals
    here: set[str] = field(default_factory=set)  # full-name people of the current article

    def lookup(self, key: str) -> set[str]:
        """Ids filed under `key`."""
        if key not in self.keys:
            self.keys[key] = q.canonical_ids_for_keys(self.conn, [key]).get(key, set())
        return self.keys[key]

    def get(self, cid: str) -> q.CanonicalRow:
        """The canonical entity `cid` (loaded once)."""
        if cid not in self.rows:
            self.rows.update(q.load_canonicals(self.conn, [cid]))
        return self.rows[cid]

    def file(self, key: str, cid: str) -> None:
        """File `cid` under `key`."""
        if cid not in self.lookup(key):
            self.keys[key].add(cid)
            self.new_keys.add((key, cid))

    def create(self, key: str, entity: Entity) -> str:
        """A new canonical entity founded by `entity` under `key`."""
        cid = canonical_id(key)
        if cid in self.rows or q.load_canonicals(self.conn, [cid]):
            self.get(cid)
        else:
            self.rows[cid] = q.CanonicalRow(cid, key, entity.name, entity.type, [], [])
        self.file(key, cid)
        return cid

    def absorb(self, cid: str, entity: Entity) -> None:
        """Add an entity's names and roles to its canonical entity."""
        row = self.get(cid)
        if _better_name(entity.name, row.name) and _same_kind(row, entity):
            row.name = entity.name
        row.aliases = _union(row.aliases, _aliases(entity), MAX_ALIASES)
        row.roles = _union(row.roles, entity.roles, MAX_ROLES)
        self.touched.add(cid)
        self.pending[cid] += 1

    def counts(self, ids: set[str]) -> dict[str, int]:
        """Links per canonical id: stored ones plus those of the batch not yet written."""
        stored = q.link_counts(self.conn, ids)
        return {i: stored.get(i, 0) + self.pending[i] for i in ids}

    def flush(self) -> None:
        """Write touched canonical entities and new keys."""
        q.save_canonicals(self.conn, (self.rows[c] for c in sorted(self.touched)))
        q.add_keys(self.conn, self.new_keys)
        self.touched.clear()
        self.new_keys.clear()
        self.pending.clear()


_CLEAN_NAME = re.compile(r"[A-Z][^\W\d_]*(?:[ .\-]+[A-Z][^\W\d_]*\.?)*")


def _better_name(new: str, old: str) -> bool:
    """Prefer the longest clean full form ("Vladimir V. Putin"), never one with digits,
    possessives or leading lower-case words ("Ted Cruz 35", "this White House")."""
    if len(new) <= len(old) or not _CLEAN_NAME.fullmatch(new):
        return False
    return set(name_tokens(old)) <= set(name_tokens(new))


def _aliases(entity: Entity) -> list[str]:
    """The names an entity adds to its canonical entity; for people, none with digits
    ("Holm 42-40" is a score, not a name); for others, no institution word alone ("the
    Party" of the Republican Party) but when it is the only name."""
    names = [entity.name, *entity.aliases]
    if is_person(entity.type):
        return [n for n in names if not any(c.isdigit() for c in n)]
    named = [n for n in names if not NAME_WORDS.is_generic_head(n)]
    return named or names


def _same_kind(row: q.CanonicalRow, entity: Entity) -> bool:
    return is_person(row.type) == is_person(entity.type)


def _union(old: list[str], new: Iterable[str], cap: int) -> list[str]:
    merged = list(old)
    for item in new:
        if item and item not in merged and len(merged) < cap:
            merged.append(item)
    return merged


def _pick(index: EntityIndex, ids: set[str]) -> str | None:
    """The one candidate, or a clearly dominant one; None when ambiguous."""
    if len(ids) == 1:
        return next(iter(ids))
    if not ids:
        return None
    counts = index.counts(ids)
    ranked = sorted(ids, key=lambda i: (-counts.get(i, 0), i))
    best, runner = counts.get(ranked[0], 0), counts.get(ranked[1], 0)
    return ranked[0] if best >= DOMINANCE * max(runner, 1) else None


def _resolve_person(index: EntityIndex, entity: Entity) -> str:
    tokens = name_tokens(entity.name)
    if len(tokens) >= 2:
        return _resolve_full_name(index, entity, tokens)
    if len(tokens) == 1:
        return _resolve_one_word(index, entity, tokens[0])
    return _resolve_other(index, entity)


def _names(entity: Entity) -> list[str]:
    return [entity.name, *entity.aliases]


def _resolve_one_word(index: EntityIndex, entity: Entity, word: str) -> str:
    """A one-word person joins the one full-name person (or a clearly dominant one) who
    carries the word as first or last name; after an honorific ("Mr. Holm") the word is
    a surname (see `_surname_holders`), and "Mr." never joins a person known only as
    "Mrs."/"Ms.". A given or regnal name ("Pope Adrian", "Adrian IV") and an acronym
    ("GOP") join no full name."""
    names = _names(entity)
    title = given_name_title(names) or name_suffix(entity.name)
    if title or _acronym_shaped(entity.name):
        return _resolve_titled_given_name(index, entity, word, title)
    sex = person_sex(names)
    full = {
        i
        for i in index.lookup("ps:" + word)
        if _is_full(index, i) and _sex_fits(index, i, sex, index.honorifics.get(word, set()))
    }
    if titled_surname(names):
        full = _surname_holders(index, full, word)
    else:
        # A bare "Adrian" may also be the known "Pope Adrian".
        full |= index.lookup("pg:" + word)
    found = _in_context(index, full, entity)
    if found is not None:
        return found
    own = f"p:{word}/{sex}" if sex else "p:" + word
    if len(full) > 1:
        # Several people carry the word and nothing here says which: this article's
        # "Bush" is someone, but not the "Bush" of the next article that could not
        # tell either, so it is pooled with no other.
        return index.create(f"{own}@{index.article_id}", entity)
    lone = sorted(i for i in index.lookup("p:" + word) if index.get(i).key == own)
    if lone:
        return lone[0]
    found = index.create(own, entity)
    index.file("p:" + word, found)
    return found


def _in_context(index: EntityIndex, ids: set[str], entity: Entity) -> str | None:
    """Which of the people `ids` a one-word name of the current article is: the one of
    them its article names in full ("Corwin Vantor ... Vantor"), whoever is better known
    elsewhere; when the article names several in full, the one of them a distinctive role
    picks, else a clearly dominant one of them ("former Secretary Holm" of an article
    that could not tell Hillary Holm from Bill Holm), else none; when it names none, the
    one a role picks or the one (or clearly dominant) candidate."""
    near = ids & index.here  # `ids` are full-name people: so are these
    if len(near) == 1:
        # A person its article kept apart from the one of that surname it names in full
        # ("President Vantor" beside "the first lady, Odile Vantor") is the one a
        # distinctive role picks, when that is another.
        picked = _by_roles(index, ids, entity) if is_person(entity.type) else None
        return picked or next(iter(near))
    if near:
        return _by_roles(index, near, entity) or _pick(index, near)
    return _by_roles(index, ids, entity) or _pick(index, ids) or _by_company(index, ids, entity)


def _by_company(index: EntityIndex, ids: set[str], entity: Entity) -> str | None:
    """The one of the people `ids` that other articles name beside the actors of the
    current one (or one named so `DOMINANCE` times as often as any other): a bare
    "Vantor" of an article about Teodor Flint and the Senate is the Corwin Vantor that
    articles on Flint and the Senate name, not Odile Vantor, whom none of them names.
    Counted in articles that share an actor with this one (a person or an organisation:
    places are everyone's), stored and of the batch; only among people of one family
    name ("Caroline" may be anyone's given name)."""
    company = {c for c in index.here - ids if index.get(c).type in ("PERSON", "ORG")}
    words = name_tokens(entity.name)
    if len(ids) < 2 or not company or len(words) != 1:
        return None
    if any(_last_name(index.get(i)) != words[0] for i in ids):
        return None
    shared = q.shared_articles(index.conn, ids, company)
    for article, linked in index.batch_links.items():
        if article != index.article_id and linked & company:
            for cid in linked & ids:
                shared[cid] = shared.get(cid, 0) + 1
    ranked = sorted(ids, key=lambda i: (-shared.get(i, 0), i))
    best, runner = shared.get(ranked[0], 0), shared.get(ranked[1], 0)
    return ranked[0] if best and best >= DOMINANCE * runner else None


def _by_roles(index: EntityIndex, ids: set[str], entity: Entity) -> str | None:
    """The one candidate sharing a distinctive role word with `entity` ("former governor
    of Florida" is the Bush who was a governor of Florida); words in the roles of two
    candidates ("president") tell nothing."""
    if len(ids) < 2 or not entity.roles:
        return None
    words = {i: _role_words(index.get(i).roles) for i in ids}
    seen = Counter(w for found in words.values() for w in found)
    own = _role_words(entity.roles)
    hits = [i for i in sorted(ids) if any(seen[w] == 1 for w in own & words[i])]
    return hits[0] if len(hits) == 1 else None


def _role_words(roles: Iterable[str]) -> set[str]:
    return {w for role in roles for w in content_words(role) if w.isalpha()}


def _resolve_titled_given_name(index: EntityIndex, entity: Entity, word: str, title: str) -> str:
    """ "Pope Adrian", "Adrian IV" (filed under "pg:adrian" so that a bare "Adrian"
    weighs them against full names), or an acronym ("GOP", no title)."""
    key = f"p:{title} {word}" if title else "p:" + word
    found = _pick(index, index.lookup(key)) or index.create(key, entity)
    if title:
        index.file("pg:" + word, found)
    return found


def _surname_holders(index: EntityIndex, ids: set[str], word: str) -> set[str]:
    """Who can be "Mr. <word>": those with that surname; failing them, those with that
    first name who were never called "Mr./Sen. <their last name>" ("Mr. Tan" is Tan
    Weilin, a family name written first; "Mr. Ferris" is not Ferris Vane, "Mr. Vane")."""
    last = {i for i in ids if _last_name(index.get(i)) == word}
    if last:
        return last
    return {
        i
        for i in ids
        if not any(
            titled_surname([a]) and name_tokens(a) == [_last_name(index.get(i))]
            for a in index.get(i).aliases
        )
    }


def _last_name(row: q.CanonicalRow) -> str:
    tokens = name_tokens(row.name)
    return tokens[-1] if tokens else ""


def _acronym_shaped(name: str) -> bool:
    """ "GOP", "IG": capitals too short to be a shouted surname ("OBAMA")."""
    bare = name.strip()
    return bare.isalpha() and bare.isupper() and len(bare) <= 3


def _is_full(index: EntityIndex, cid: str) -> bool:
    return " " in index.get(cid).key


def _sex_fits(index: EntityIndex, cid: str, sex: str | None, seen: set[str] | None = None) -> bool:
    """Whether a person known by the other honorific only ("Mr. Holm"), or whose given
    name is of the other sex ("Laura Bush" is no "Mr. Bush"), can be `sex`; one known by
    neither cannot be told apart when the batch calls someone of that
    surname both "Mr." and "Mrs." (`seen`)."""
    row = index.get(cid)
    known = person_sexes(row.aliases) | _given_sex(row.name)
    if sex is None:
        return True
    if known:
        return sex in known
    return len(seen or set()) < 2


def _given_sex(name: str) -> set[str]:
    """The usual sex of a full name's given name ("Laura Bush": {"f"}), else none."""
    tokens = name_tokens(name)
    found = given_name_sex(tokens[0]) if len(tokens) > 1 and len(tokens[0]) > 1 else None
    return {found} if found else set()


def _resolve_full_name(index: EntityIndex, entity: Entity, tokens: list[str]) -> str:
    key = "p:" + person_key(entity.name)
    middle = middle_initials(entity.name)
    known = index.lookup(key)
    fitting = {i for i in known if _middle_fits(index.get(i), entity.name, middle)}
    if not middle and len(_middles(index, fitting, key)) > 1:
        return _ambiguous_full_name(index, entity, fitting, key)
    found = _pick(index, fitting)
    if found is None:
        found = _near_spelling(index, key, entity.name, middle)
    if found is None:
        # "George H. Holm" is not the known "George W. Holm": a key of his own.
        own = f"{key} ({middle})" if fitting != known else key
        found = index.create(own, entity)
        _absorb_surname_only(index, found, tokens, entity)
    index.file(key, found)
    for word in (tokens[0], tokens[-1]):
        index.file("ps:" + word, found)
    return found


def _middles(index: EntityIndex, ids: set[str], key: str) -> set[str]:
    """The middle initials the people `ids` of full name `key` are known by."""
    return {
        middle_initials(a)
        for i in ids
        for a in (index.get(i).name, *index.get(i).aliases)
        if "p:" + person_key(a) == key
    } - {""}


def _ambiguous_full_name(index: EntityIndex, entity: Entity, ids: set[str], key: str) -> str:
    """A full name without middle initials that people known by different ones carry
    ("George Holm" beside "George W. Holm" and "George H.W. Holm"): the one of them a
    distinctive role picks, else an actor of its article alone; never the better known
    one by numbers only, nor one its article names apart from it (the extraction kept
    "George Holm's son, George W. Holm" apart: he is not the father)."""
    found = _by_roles(index, ids - index.here, entity)
    return found or index.create(f"{key}@{index.article_id}", entity)


def _middle_fits(row: q.CanonicalRow, name: str, middle: str) -> bool:
    """Two full names with the same first and last name are one person unless both show
    middle initials and these differ ("George W." and "George H.W.")."""
    if not middle:
        return True
    key = person_key(name)
    known = {middle_initials(a) for a in (row.name, *row.aliases) if person_key(a) == key}
    known.discard("")
    return not known or middle in known


def _squeeze(key: str) -> str:
    """The key with doubled letters collapsed: "hilary clinton" = "hillary clinton"."""
    return re.sub(r"(.)\1+", r"\1", key)


def _near_spelling(index: EntityIndex, key: str, name: str, middle: str) -> str | None:
    """A known person whose full name differs only by a doubled letter. (A looser edit
    distance merged Eric and Erica Garner, Ivana and Ivanka Trump.)"""
    found = {
        cid
        for cid in index.lookup("ps:" + name_tokens(name)[-1])
        if _is_full(index, cid)
        and _squeeze(index.get(cid).key) == _squeeze(key)
        and _middle_fits(index.get(cid), name, middle)
    }
    return _pick(index, found)


def _absorb_surname_only(index: EntityIndex, cid: str, tokens: list[str], entity: Entity) -> None:
    """A one-word entity seen before its full name joins it, when unambiguous."""
    sex = person_sex(_names(entity))
    for word, first in ((tokens[0], True), (tokens[-1], False)):
        if (index.lookup("ps:" + word) | index.lookup("pg:" + word)) - {cid}:
            continue
        for lone in sorted(index.lookup("p:" + word) - {cid}):
            if _absorbable(index, lone, word, first=first, sex=sex):
                q.relink(index.conn, lone, cid)


def _absorbable(index: EntityIndex, lone: str, word: str, *, first: bool, sex: str | None) -> bool:
    """By surname, or by first name unless it was only seen after an honorific ("Mr.
    Holm"); never across honorifics of the other sex, never an acronym ("GOP")."""
    row = index.get(lone)
    if row.key not in (f"p:{word}", f"p:{word}/m", f"p:{word}/f") or _acronym_shaped(row.name):
        return False
    if first and titled_surname(row.aliases):
        return False
    return _sex_fits(index, lone, sex)


def is_generic(name: str) -> bool:
    """A name without a capital letter ("defence ministry", "east bank"), or opening with a
    lower-case word ("state Senate": which state's is the article's to say), names no
    one in particular: it is resolved within its article only."""
    first = name.split(" ", 1)[0]
    return not any(c.isupper() for c in name) or (
        " " in name.strip() and first.isalpha() and first.islower()
    )


def _article_local(entity: Entity) -> bool:
    """Whether `entity` is resolved within its article only: a generic name, or an
    organisation named by one institution word alone ("the Party" of an article naming
    no party in full)."""
    if is_generic(entity.name):
        return True
    return entity.type == "ORG" and all(
        NAME_WORDS.is_generic_head(n) for n in (entity.name, *entity.aliases)
    )


def _other_keys(entity: Entity, article_id: str) -> list[str]:
    if _article_local(entity):
        return [f"n:{article_id}:{name_key(entity.name)}"]
    names = [n for n in (entity.name, *entity.aliases) if not is_generic(n)]
    names += [part.strip(" )") for n in names if "(" in n for part in n.split("(")]
    keys = [name_key(n) for n in names]
    if entity.type == "ORG":
        keys += [x for k in keys for x in acronym_expansions(k)]
    return ["n:" + k for k in dict.fromkeys(keys) if k]


def _resolve_other(index: EntityIndex, entity: Entity) -> str:
    keys = _other_keys(entity, index.article_id) or ["n:" + entity.name.lower()]
    surname = _mislabelled_surname(index, entity) or _mislabelled_person(index, entity)
    if surname is not None:
        return surname
    spelled = _by_initials(index, entity)
    if spelled is not None:
        return spelled
    full = _full_keys(keys)
    found = _pick(index, _non_person(index, full[0]))
    if found is None:
        found = _pick(index, set().union(*(_non_person(index, k) for k in full)))
    if found is None:
        found = _located(index, entity)
    if found is None:
        found = index.create(full[0], entity)
    for key in keys:
        index.file(key, found)
    for initials in _initials(entity):
        index.file("ac:" + initials, found)
    return found


def _initials(entity: Entity) -> set[str]:
    """The initials of an organisation's long names ("Lisk River Commission" -> "lrc"),
    under which an acronym of an article that does not spell it out finds it: three to
    six, one a word of the name, each word written out in full ("C.V. Starr" is no
    "CVS", "NY Daily News" no "NDN", "Dodd-Frank Act" no "DFA": a hyphen's halves are
    one word)."""
    if entity.type != "ORG" or _article_local(entity):
        return set()
    found = set()
    for name in (entity.name, *entity.aliases):
        spelled = [w for w in name.split() if w.lower() not in STOPWORDS]
        if 3 <= len(spelled) <= 6 and all(_spelled_out(w) for w in spelled):
            found.add("".join(w[0] for w in spelled).lower())
    return found


def _spelled_out(word: str) -> bool:
    """A capitalised word of two letters or more, no initial nor acronym ("NY")."""
    bare = re.sub(r"['’]s$", "", word)
    return bare[:1].isupper() and len(bare) > 1 and not bare.isupper() and bare.isalpha()


def _lone_acronym(entity: Entity) -> bool:
    """An acronym that is no well-known one ("LRC", not "AP")."""
    return is_acronym(entity) and not acronym_expansions(name_key(entity.name))


def _by_initials(index: EntityIndex, entity: Entity) -> str | None:
    """The organisation an acronym that its article does not spell out stands for: the
    one (or a clearly dominant one) of the batch and the store whose long name has those
    initials ("LRC" of an article about the river is the "Lisk River Commission" of
    another), unless the acronym alone is far better known than it (`DOMINANCE` times
    its articles: "ISIS" of fifty articles is not the "Institute for Science and
    International Security" one article spells out). Two long names with those initials
    and neither dominant: none."""
    if not _lone_acronym(entity):
        return None
    key = name_key(entity.name)
    found = _pick(index, _non_person(index, "ac:" + key))
    if found is None:
        return None
    alone = q.link_counts(index.conn, _non_person(index, "n:" + key) - {found})
    own = index.acronyms[key] + sum(alone.values())
    return found if own <= DOMINANCE * max(index.counts({found})[found], 1) else None


_LOCATED = re.compile(r"(.+?) in [A-Z]")


def _located_shaped(entity: Entity) -> bool:
    """An organisation "in" a place: "Associated Press in Karsk"."""
    return entity.type == "ORG" and _LOCATED.match(entity.name) is not None


def _located(index: EntityIndex, entity: Entity) -> str | None:
    """The known organisation an organisation "in" a place is ("the Associated Press in
    Karsk", one name to spaCy), when no organisation bears the whole name."""
    found = _LOCATED.match(entity.name) if entity.type == "ORG" else None
    if found is None:
        return None
    return _pick(index, _non_person(index, "n:" + name_key(found.group(1))))


def _full_keys(keys: list[str]) -> list[str]:
    """The keys that link an organisation across articles: not a shortening of another of
    its names ("Post" of "Huffington Post" would join it to the "Washington Post")."""
    words = {k: set(k.removeprefix("n:").split()) for k in keys}
    return [k for k in keys if not any(words[k] < words[o] for o in keys)]


def _mislabelled_surname(index: EntityIndex, entity: Entity) -> str | None:
    """spaCy often labels a bare surname ORG ("Trump said"): link it to the one person
    (or a clearly dominant one) with that surname."""
    name = entity.name.strip()
    if entity.type != "ORG" or " " in name or not (name.istitle() or name.isupper()):
        return None
    if _acronym_shaped(name):  # "GOP" is a party, not the surname of "Indiana GOP"
        return None
    tokens = name_tokens(name)
    if len(tokens) != 1:
        return None
    people = {i for i in index.lookup("ps:" + tokens[0]) if _is_full(index, i)}
    return _in_context(index, people, entity)


def _mislabelled_person(index: EntityIndex, entity: Entity) -> str | None:
    """A person-shaped ORG ("Halden Brisk") is the one known person of that full name."""
    if not _person_shaped(entity):
        return None
    known = index.lookup("p:" + person_key(entity.name))
    return _pick(index, {i for i in known if is_person(index.get(i).type)})


def _non_person(index: EntityIndex, key: str) -> set[str]:
    return {i for i in index.lookup(key) if not is_person(index.get(i).type)}


def is_acronym(entity: Entity) -> bool:
    """An organisation written as capitals only ("ISIS", "NID")."""
    name = entity.name.strip()
    return entity.type == "ORG" and name.isupper() and name.isalpha() and 2 <= len(name) <= 6


def expansions_in_article(entities: Iterable[Entity]) -> dict[str, str]:
    """acronym entity id -> id of the one organisation of the same article whose initials
    it is ("ISIS" beside "Institute for Science and International Security")."""
    longs: dict[str, list[str]] = {}
    for e in entities:
        initials = acronym(e.name) if e.type == "ORG" and " " in e.name.strip() else None
        if initials and not is_generic(e.name):
            longs.setdefault(initials, []).append(e.id)
    found: dict[str, str] = {}
    for e in entities:
        expanded = longs.get(e.name.strip().lower(), []) if is_acronym(e) else []
        if len(expanded) == 1:
            found[e.id] = expanded[0]
    return found


def resolve_entity(index: EntityIndex, entity: Entity) -> str:
    """The canonical id for one article entity (creating it when new)."""
    if is_person(entity.type):
        cid = _resolve_person(index, entity)
    else:
        cid = _resolve_other(index, entity)
    index.absorb(cid, entity)
    return cid


def _resolution_pass(entity: Entity, paired: bool) -> int:
    """Full names and non-people first (0), across the batch; one-word people,
    organisations shaped like a person's name ("Halden Brisk" as ORG) and acronyms
    beside their expansion after them (1); acronyms that are no well-known ones
    ("LRC": see `_by_initials`) and organisations in a place ("Lisk Herald in Karsk":
    see `_located`) last (2), once every long name ("Eastmarch Security Service",
    person-shaped to `_person_shaped`) is known."""
    if is_person(entity.type):
        return 0 if len(name_tokens(entity.name)) >= 2 else 1
    if paired or _person_shaped(entity):
        return 1
    return 2 if _lone_acronym(entity) or _located_shaped(entity) else 0


def _person_shaped(entity: Entity) -> bool:
    """An ORG of two or three capitalised words with no institution word: spaCy's label
    for a person it did not know ("Teodor Flint said")."""
    words = entity.name.split()
    return (
        entity.type == "ORG"
        and 2 <= len(words) <= 3
        and all(w[:1].isupper() and w.isalpha() for w in words)
        and not NAME_WORDS.ends_non_person(words)
    )


def _seen_honorifics(batch: list[Record]) -> dict[str, set[str]]:
    """surname -> the sexes its one-word honorific references show across the batch."""
    seen: dict[str, set[str]] = {}
    for record in batch:
        for e in record.entities:
            tokens = name_tokens(e.name)
            sexes = person_sexes(_names(e)) if is_person(e.type) and len(tokens) == 1 else set()
            if sexes:
                seen.setdefault(tokens[0], set()).update(sexes)
    return seen


def _acronyms_alone(batch: list[Record]) -> Counter[str]:
    """acronym -> the articles of the batch that write it without spelling it out."""
    seen: Counter[str] = Counter()
    for record in batch:
        paired = expansions_in_article(record.entities)
        seen.update(
            {name_key(e.name) for e in record.entities if _lone_acronym(e) and e.id not in paired}
        )
    return seen


def _resolution_order(entity: Entity) -> tuple[int, int]:
    """Full names first, so that "Holm" finds "Petra Holm" from the same batch."""
    return (0 if len(name_tokens(entity.name)) >= 2 else 1, -len(entity.name))


def _resolve_part(index: EntityIndex, record: Record, own: dict[str, str], step: int) -> None:
    """Resolve the entities of one pass of `record` into `own` (entity id -> canonical)."""
    index.article_id = record.article.id
    index.here = {own[e.id] for e in record.entities if e.id in own}
    paired = expansions_in_article(record.entities)
    # an acronym beside its expansion goes last, once the expansion is resolved
    todo = [e for e in record.entities if _resolution_pass(e, e.id in paired) == step]
    for e in sorted(todo, key=lambda e: (e.id in paired, *_resolution_order(e))):
        if e.id in paired and paired[e.id] in own:
            own[e.id] = own[paired[e.id]]
            index.absorb(own[e.id], e)
        else:
            own[e.id] = resolve_entity(index, e)
        index.here.add(own[e.id])
    index.batch_links[record.article.id] = set(index.here)


def _file_members(index: EntityIndex, record: Record, own: dict[str, str]) -> None:
    """File each group word its article links to an organisation ("Republicans" ->
    the article's "Republican Party") under "norp:<word>", so that the word in an
    article that names no party finds that organisation (`_party_of`)."""
    for e in record.entities:
        target = own.get(e.refers_to or "")
        if e.type == "NORP" and target and index.get(target).type == "ORG":
            index.file("norp:" + name_key(e.name), target)


def _party_of(index: EntityIndex, entity: Entity) -> str | None:
    """The organisation a group word its article does not link stands for: the one (or
    a clearly dominant one) that other articles link the same word to; never a guess
    from the word alone ("Americans" is no "American Party")."""
    if entity.type != "NORP" or entity.refers_to is not None or is_generic(entity.name):
        return None
    return _pick(index, index.lookup("norp:" + name_key(entity.name)))


def _act_as_parties(
    conn: Transaction, index: EntityIndex, batch: list[Record], owns: list[dict[str, str]]
) -> None:
    """Earlier articles' group words that act as themselves ("Republicans" of an article
    naming no party, analysed before any article linked the word) act as the
    organisation the word now stands for (`_party_of`), as a full rebuild gives."""
    words: dict[str, Entity] = {}
    for record, own in zip(batch, owns, strict=True):
        for e in record.entities:
            if e.type == "NORP" and e.refers_to is not None and own.get(e.refers_to):
                words.setdefault(own[e.id], replace(e, refers_to=None))
    for canonical, entity in words.items():
        party = _party_of(index, entity)
        if party is not None:
            q.act_as(conn, canonical, party)


def _link_rows(
    record: Record, own: dict[str, str], parties: dict[str, str]
) -> list[dict[str, str]]:
    return [
        {
            "article_id": record.article.id,
            "entity_id": e.id,
            "canonical_id": own[e.id],
            "actor_id": parties.get(e.id) or own.get(e.refers_to or "", own[e.id]),
        }
        for e in record.entities
    ]


def resolve_records(conn: Transaction, records: Iterable[Record]) -> int:
    """Resolve and link the entities of `records` (full names of every record first);
    returns the number of links written."""
    batch = list(records)
    index = EntityIndex(conn, honorifics=_seen_honorifics(batch), acronyms=_acronyms_alone(batch))
    owns: list[dict[str, str]] = [{} for _ in batch]
    for step in range(3):
        for record, own in zip(batch, owns, strict=True):
            _resolve_part(index, record, own, step)
    for record, own in zip(batch, owns, strict=True):
        _file_members(index, record, own)
    _act_as_parties(conn, index, batch, owns)
    written = 0
    for record, own in zip(batch, owns, strict=True):
        parties = {e.id: p for e in record.entities if (p := _party_of(index, e)) is not None}
        rows = _link_rows(record, own, parties)
        q.insert_links(conn, rows)
        written += len(rows)
    index.flush()
    return written
