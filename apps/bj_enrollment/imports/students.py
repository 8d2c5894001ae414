"""Graduates into a junior-high campaign (R37), from the student registry or from a spreadsheet: one
path for both, so the same rules hold whatever the source.

- Every record is checked first; one bad record and nothing is written (all or nothing), the bad ones
  named by their line (file) or position and education ID (registry). The records are read once, in
  chunks, never all held at once (a city has 150,000): checked, the good ones spooled to a temporary
  file, then read back and written in one transaction.
- Each graduate becomes a Student of the campaign in the district of its graduating primary school;
  the user imports only schools of their own scope.
- Idempotent by education ID: a known student is updated only where the data differs, and a second
  run of the same data changes nothing.
- Data the family confirmed (or the school corrected after the family's report, or a student who
  moved district by a transfer) is never overwritten: such a record, if it differs, is listed as a
  conflict and the student is left as it is; the rest of the import goes ahead.
- The registry is asked for every school before anything is written: when it does not answer, the
  import is pending and writes nothing (never a partial district).
"""

from __future__ import annotations

import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.bj_enrollment.choices import Gender, IdType, Level, Relationship, StudentSource, StudentState
from apps.bj_enrollment.registries.base import GuardianRecord, StudentRecord
from apps.bj_enrollment.rules.identity import check_resident_id, normalise_id_number
from apps.lowcode.dataimport import ImportResult, RowError, date, text

COLUMNS = {
    "education_id": ("教育ID", "教育id", "学籍号", "education id", "education_id"),  # headers match lower-cased
    "name": ("姓名", "学生姓名", "name"),
    "graduating_school": ("毕业学校代码", "学校代码", "school code", "graduating_school"),
    "graduating_class": ("班级", "class", "graduating_class"),
    "id_type": ("证件类型", "id type", "id_type"),
    "id_number": ("证件号码", "身份证号", "id number", "id_number"),
    "birth_date": ("出生日期", "birth date", "birth_date"),
    "gender": ("性别", "gender"),
    "hukou_province": ("户籍省份", "hukou province", "hukou_province"),
    "hukou_district": ("户籍区", "hukou district", "hukou_district"),
    "hukou_address": ("户籍地址", "hukou address", "hukou_address"),
    "mobile": ("联系电话", "手机号", "mobile"),
    **{
        f"guardian{n}_{part}": (f"监护人{n}{label}", f"guardian {n} {part}", f"guardian{n}_{part}")
        for n in (1, 2)
        for part, label in (("name", "姓名"), ("relationship", "关系"), ("phone", "电话"), ("id_number", "证件号码"))
    },
}
REQUIRED = ("education_id", "name", "graduating_school")
HELP = [
    ("education_id", gettext_lazy("Education ID (required); a known ID updates that student")),
    ("name", gettext_lazy("Student's name (required)")),
    ("graduating_school", gettext_lazy("10-digit code of the graduating primary school (required)")),
    ("graduating_class", gettext_lazy("Class")),
    ("id_type", gettext_lazy("居民身份证 (default), 港澳居民居住证, 台湾居民居住证, 外国人永久居留身份证 or 护照")),
    ("id_number", gettext_lazy("ID number")),
    ("birth_date", gettext_lazy("Birth date, e.g. 2014-03-15")),
    ("gender", gettext_lazy("男 or 女")),
    ("hukou_province", gettext_lazy("Hukou province, e.g. 北京市")),
    ("hukou_district", gettext_lazy("Hukou district (Beijing hukou only): name or 6-digit code")),
    ("hukou_address", gettext_lazy("Hukou address")),
    ("mobile", gettext_lazy("Mobile number on file (the family's codes go there)")),
    ("guardian1_name", gettext_lazy("Guardian 1: name")),
    ("guardian1_relationship", gettext_lazy("Guardian 1: 父亲, 母亲, 祖父母 or 其他监护人")),
    ("guardian1_phone", gettext_lazy("Guardian 1: mobile")),
    ("guardian1_id_number", gettext_lazy("Guardian 1: ID number")),
    ("guardian2_name", gettext_lazy("Guardian 2: name")),
    ("guardian2_relationship", gettext_lazy("Guardian 2: relationship")),
    ("guardian2_phone", gettext_lazy("Guardian 2: mobile")),
    ("guardian2_id_number", gettext_lazy("Guardian 2: ID number")),
]
NOTE = gettext_lazy(
    "The graduates join the active junior-high campaign, in the district of their graduating school. "
    "Data the family already confirmed is never overwritten: differing rows are listed as conflicts."
)

# What a re-import compares and may update (district follows the graduating school, see _apply).
FIELDS = (
    "name", "id_type", "id_number", "birth_date", "gender", "hukou_province", "hukou_district_id", "hukou_address",
    "graduating_school_id", "graduating_class", "mobile",
)
EDUCATION_ID = re.compile(r"[A-Za-z0-9]{6,32}")
# a choices class's `values` builds a new list on every call: once per record and guardian was 7% of an import
ID_TYPE_VALUES, GENDER_VALUES = frozenset(IdType.values), frozenset(Gender.values)
RELATIONSHIP_VALUES = frozenset(Relationship.values)
MOBILE = re.compile(r"1[0-9]{10}")


@dataclass
class StudentImportResult(ImportResult):
    """An ImportResult with the records left untouched because the family confirmed other data, and
    `pending` when the registry gave no answer (nothing written, try again later)."""

    conflicts: list[RowError] = field(default_factory=list)
    pending: bool = False
    errors_left_off: int = 0  # bad records beyond the MAX_LISTED named in `errors`

    @property
    def ok(self) -> bool:
        return not self.errors and not self.pending


def active_campaign():
    from apps.bj_enrollment.models import Campaign

    return Campaign.objects.filter(level=Level.JUNIOR, active=True).order_by("-year").first()


def import_students(rows: Iterable[dict], *, user, campaign=None, progress=None) -> StudentImportResult:
    """The spreadsheet import (imports/graduate_file_jobs.py): rows of {column key: value}, the first one
    line 2 of the file, read once (a list, or a dataimport.SpreadsheetRows streaming its file). A
    ValidationError raised by the rows is the file's own (not a spreadsheet, unknown columns);
    `progress` as in apply_graduates."""
    campaign = campaign or active_campaign()
    if campaign is None:
        raise ValidationError(_("There is no active junior-high campaign to import graduates into."))
    return apply_graduates(_file_records(rows), campaign=campaign, source=StudentSource.IMPORT, user=user,
                           progress=progress)


def _file_records(rows: Iterable[dict]) -> Iterator[tuple[int, StudentRecord | ValidationError]]:
    """A file's rows as (line, StudentRecord), or (line, ValidationError) for a row that is not one;
    empty rows skipped."""
    for line, raw in enumerate(rows, start=2):
        values = {key: raw.get(key, "") for key in COLUMNS}
        if not any(text(v) for v in values.values()):
            continue
        try:
            yield line, _record_from_row(values)
        except ValidationError as exc:
            yield line, exc


def import_from_registry(campaign, district, *, user, registry=None, progress=None) -> StudentImportResult:
    """Every graduate of the district's primary schools (those in the user's scope) as the student
    registry has them. The registry is asked for all schools first, outside any transaction;
    `progress(schools_asked, schools)` is called before the first school and after each one."""
    from apps.bj_enrollment import registries
    from apps.bj_enrollment.models import School
    from apps.bj_enrollment.scope import restrict

    registry = registry or registries.student_registry()
    schools = School.objects.filter(district=district, offers_primary=True, active=True).order_by("code")
    if user is not None:
        schools = restrict(schools, user)
    schools = list(schools)
    records: list[tuple[int, StudentRecord]] = []
    try:
        for asked, school in enumerate(schools):
            if progress is not None:
                progress(asked, len(schools))
            records += [(len(records) + 1, r) for r in registry.graduates(school.code, campaign.year)]
        if progress is not None:
            progress(len(schools), len(schools))
    except registries.RegistryUnavailable:
        return StudentImportResult(pending=True)
    return apply_graduates(records, campaign=campaign, source=StudentSource.REGISTRY, user=user)


def apply_graduates(
    records: Iterable[tuple[int, StudentRecord | ValidationError]], *, campaign, source: str, user,
    result: StudentImportResult | None = None, progress: Callable[[str, int], None] | None = None,
) -> StudentImportResult:
    """Check every record, then write them all in one transaction (or nothing, when one is bad).

    `records` (line, record), or (line, ValidationError) for a line that is not a record, is read once,
    CHUNK at a time, and never held whole: a city's file has 150,000 rows. The first pass checks every
    record against the chunk's schools and known students, keeps the education IDs seen (duplicates)
    and the errors, and spools the good records to a temporary file. The second pass reads them back a
    chunk at a time and, in one transaction, checks each chunk again against the database as it is then
    (what the record alone decides was checked already) and writes it: a record refused there (its
    student changed meanwhile) rolls back what the earlier chunks wrote. `progress(state, rows)` is called
    with "checking" after each chunk of the first pass and with "writing" once before the transaction
    (a progress row written inside it would not be seen until the end).
    """
    result = result or StudentImportResult()
    if campaign.level != Level.JUNIOR:
        raise ValidationError(_("Students belong to a junior-high campaign."))
    check = _Check(campaign, _scope(user), source)
    seen: dict[str, int] = {}
    rows = 0
    with _Spool() as spool:
        for chunk in _batches(records):
            planned, _existing = check.planned(chunk, result, seen=seen)
            if not result.errors:
                good = {line for line, _student, _guardians in planned}
                spool.add([(line, record) for line, record in chunk if line in good])
            rows += len(chunk)
            if progress is not None:
                progress("checking", rows)
        del seen
        if result.errors:
            return result
        if progress is not None:
            progress("writing", rows)
        try:
            with transaction.atomic():
                for chunk in spool:
                    planned, existing = check.planned(chunk, result, full=True)
                    if result.errors:
                        raise _Refused
                    _write(planned, existing, source, user, result)
        except _Refused:
            result.created = result.updated = result.unchanged = 0
            result.conflicts.clear()
    return result


class _Spool:
    """The first pass's good records on disk until the second pass reads them back, a pickled chunk at a
    time: memory holds one chunk. An unnamed temporary file this process writes and reads (pickle is
    safe here: nothing else writes it)."""

    def __enter__(self):
        self.file = tempfile.TemporaryFile()
        return self

    def __exit__(self, *exc):
        self.file.close()

    def add(self, chunk: list) -> None:
        pickle.dump(chunk, self.file, protocol=pickle.HIGHEST_PROTOCOL)

    def __iter__(self) -> Iterator[list]:
        self.file.seek(0)
        while True:
            try:
                yield pickle.load(self.file)  # noqa: S301 - written by add() above, in this process
            except EOFError:
                return


class _Refused(Exception):
    """A record refused while writing: the transaction rolls back."""


CHUNK = 2000  # rows per INSERT/UPDATE statement and per look-up: no query per row, bounded statements and memory
MAX_LISTED = 1000  # bad records named on the result; more are only counted (a file wrong in every line)


def _batches(items: Iterable) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


class _Check:
    """The checks of one import, a chunk of records at a time; the districts and the schools met so far
    are kept (a few thousand rows at most)."""

    def __init__(self, campaign, scope, source: str):
        from apps.bj_enrollment.models import District

        self.campaign, self.scope, self.source = campaign, scope, source
        self.districts = {}
        for district in District.objects.all():
            self.districts[district.name] = self.districts[district.code] = district
        self.schools = {}

    def planned(self, chunk, result: StudentImportResult, *, seen: dict | None = None, full: bool = False):
        """The chunk's good records as (line, student, guardians), and its known students by education ID;
        each bad record's errors go on `result`. `full`: the records were checked already (their own
        fields are not checked again), the known students come with their guardians, to compare."""
        from apps.bj_enrollment.models import School, Student

        records = [(line, r) for line, r in chunk if isinstance(r, StudentRecord)]
        codes = {r.graduating_school for _line, r in records} - self.schools.keys()
        if codes:
            found = {s.code: s for s in School.objects.filter(code__in=codes)}
            self.schools |= {code: found.get(code) for code in codes}
        known = Student.objects.filter(campaign=self.campaign, education_id__in=[r.education_id for _l, r in records])
        if full:
            known = known.select_related("graduating_school").prefetch_related("guardians")
        else:
            known = known.only("pk", "education_id", "district_id")
        existing = {s.education_id: s for s in known}
        planned = []
        for line, record in chunk:
            try:
                if isinstance(record, ValidationError):
                    raise record
                if seen is not None:
                    if record.education_id in seen:
                        raise ValidationError(_("Same education ID as line %(line)d.")
                                              % {"line": seen[record.education_id]})
                    seen[record.education_id] = line
                student, guardians = _student(record, self.campaign, self.schools, self.districts, self.scope,
                                              existing, clean=not full)
            except ValidationError as exc:
                registry = self.source == StudentSource.REGISTRY and isinstance(record, StudentRecord)
                where = f"{record.education_id} " if registry else ""
                for message in exc.messages:
                    if len(result.errors) < MAX_LISTED:
                        result.errors.append(RowError(line, where + message))
                    else:
                        result.errors_left_off += 1
                continue
            planned.append((line, student, guardians))
        return planned, existing


def _write(planned, existing, source: str, user, result: StudentImportResult) -> None:
    """One checked chunk: new students created, changed ones updated, the rest counted or listed."""
    protected = _protected(existing.values())
    created, changed = [], []
    for line, student, guardians in planned:
        what = _decide(line, student, guardians, existing.get(student.education_id), protected, result)
        if what is not None:
            (created if what is student else changed).append((what, guardians))
    if created:
        _create(created, source, user)
    if changed:
        _update(changed, user)
    result.created, result.updated = result.created + len(created), result.updated + len(changed)


def _scope(user):
    from apps.bj_enrollment.scope import Scope, scope_of

    return Scope(everything=True) if user is None else scope_of(user)


def _protected(students) -> set[int]:
    """Students whose data a re-import must not overwrite: confirmed by the family (or past
    confirmation), corrected by the school after the family's report, or moved by a transfer."""
    from django.contrib.contenttypes.models import ContentType

    from apps.bj_enrollment import workflow_actions
    from apps.bj_enrollment.models import Student
    from apps.lowcode.workflow.models import TransitionRecord

    students = list(students)
    open_states = (StudentState.IMPORTED, StudentState.AWAITING_CONFIRMATION)
    ids = {
        s.pk for s in students
        if s.confirmed_at or s.state not in open_states or s.district_id != s.graduating_school.district_id
    }
    corrected = TransitionRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Student),
        object_id__in=[str(s.pk) for s in students],
        action=workflow_actions.CORRECT_DATA,
    ).values_list("object_id", flat=True)
    return ids | {int(pk) for pk in corrected}


def _student(record: StudentRecord, campaign, schools, districts, scope, existing, *, clean: bool = True):
    from apps.bj_enrollment.models import Student, StudentGuardian

    if not EDUCATION_ID.fullmatch(record.education_id):
        raise ValidationError(_("“%(value)s” is not an education ID (6 to 32 letters or digits).")
                              % {"value": record.education_id})
    if not record.name.strip():
        raise ValidationError(_("The student's name is missing."))
    school = schools.get(record.graduating_school)
    if school is None or not school.offers_primary:
        raise ValidationError(_("“%(value)s” is not the code of a primary school.")
                              % {"value": record.graduating_school})
    if not (scope.everything or (school.district_id == scope.district_id
                                 and scope.school_id in (None, school.pk))):
        raise ValidationError(_("%(school)s is outside your scope.") % {"school": school.name})
    before = existing.get(record.education_id)
    if before is not None and not (scope.everything or before.district_id == scope.district_id):
        raise ValidationError(_("Student %(id)s belongs to another district.") % {"id": record.education_id})
    if record.id_type not in ID_TYPE_VALUES:
        raise ValidationError(_("“%(value)s” is not an ID type.") % {"value": record.id_type})
    if record.gender and record.gender not in GENDER_VALUES:
        raise ValidationError(_("“%(value)s” is not 男 or 女.") % {"value": record.gender})
    id_number = normalise_id_number(record.id_number) if record.id_number else ""
    if id_number and record.id_type == IdType.RESIDENT_ID:
        id_number = check_resident_id(id_number, record.birth_date, record.gender or None)
    if record.mobile and not MOBILE.fullmatch(record.mobile):
        raise ValidationError(_("“%(value)s” is not a mobile number.") % {"value": record.mobile})
    hukou_district = None
    if record.hukou_district:
        hukou_district = districts.get(record.hukou_district)
        if hukou_district is None:
            raise ValidationError(_("Unknown district “%(value)s”.") % {"value": record.hukou_district})
    student = Student(
        pk=before.pk if before else None,
        campaign=campaign,
        education_id=record.education_id,
        name=record.name.strip(),
        id_type=record.id_type,
        id_number=id_number,
        birth_date=record.birth_date,
        gender=record.gender,
        hukou_province=record.hukou_province,
        hukou_district=hukou_district,
        hukou_address=record.hukou_address,
        graduating_school=school,
        graduating_class=record.graduating_class,
        district_id=school.district_id,
        mobile=record.mobile,
    )
    # The fields' own checks only: the related rows were looked up above, and what Student.clean() checks
    # besides (campaign level, primary school, the initial state) is checked once per import here and in
    # apply_graduates; clean() would ask the database for the workflow once per row.
    related = ["campaign", "graduating_school", "district", "hukou_district", "school", "admission_record"]
    if clean:
        student.clean_fields(exclude=["state", "custom", "confirmation_number", *related])
    guardians = []
    for g in record.guardians:
        if g.relationship and g.relationship not in RELATIONSHIP_VALUES:
            raise ValidationError(_("“%(value)s” is not a relationship.") % {"value": g.relationship})
        if g.phone and not MOBILE.fullmatch(g.phone):
            raise ValidationError(_("“%(value)s” is not a mobile number.") % {"value": g.phone})
        guardian_id = normalise_id_number(g.id_number) if g.id_number else ""
        if guardian_id and re.fullmatch(r"[0-9]{17}[0-9X]", guardian_id):
            check_resident_id(guardian_id)
        guardians.append(StudentGuardian(name=g.name, relationship=g.relationship, phone=g.phone,
                                         id_number=guardian_id))
    return student, guardians


def _guardian_key(guardians) -> list[tuple]:
    return [(g.name, g.relationship, g.phone, g.id_number) for g in guardians]


def _decide(line, student, guardians, before, protected, result):
    """What to write for one checked record: the new student, the known one with the record's data set
    on it, or None (unchanged, or a conflict listed on the result)."""
    if before is None:
        return student
    changed = [f for f in FIELDS if getattr(before, f) != getattr(student, f)]
    guardians_changed = _guardian_key(before.guardians.all()) != _guardian_key(guardians)
    if not changed and not guardians_changed:
        result.unchanged += 1
        return None
    if before.pk in protected:
        names = [str(type(before)._meta.get_field(f.removesuffix("_id")).verbose_name) for f in changed]
        if guardians_changed:
            names.append(_("guardians"))
        result.conflicts.append(RowError(line, _(
            "%(id)s %(name)s: the family confirmed other data (or it was corrected since); left unchanged. "
            "Differs in: %(fields)s."
        ) % {"id": before.education_id, "name": before.name, "fields": "、".join(names)}))
        return None
    for name in FIELDS:
        setattr(before, name, getattr(student, name))
    before.district_id = student.graduating_school.district_id
    before._guardians_changed = guardians_changed
    return before


def _history_user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _create(chunk, source, user) -> None:
    """New students and their guardians, with their history rows (who imported), a few statements per chunk."""
    from simple_history.utils import bulk_create_with_history

    from apps.bj_enrollment.models import Student, StudentGuardian

    for student, _guardians in chunk:
        student.source = source
    bulk_create_with_history([s for s, _g in chunk], Student, batch_size=CHUNK, default_user=_history_user(user))
    guardians = []
    for student, student_guardians in chunk:
        for guardian in student_guardians:
            guardian.student = student
            guardians.append(guardian)
    bulk_create_with_history(guardians, StudentGuardian, batch_size=CHUNK, default_user=_history_user(user))


def _update(chunk, user) -> None:
    """Known students whose registry data changed (never a protected one: see _decide), with history; their
    guardians replaced where they differ."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from apps.bj_enrollment.models import Student, StudentGuardian

    now = timezone.now()
    students = [student for student, _guardians in chunk]
    for student in students:
        student.updated_at = now
    fields = [f.removesuffix("_id") for f in FIELDS] + ["district", "updated_at"]
    bulk_update_with_history(students, Student, fields, batch_size=CHUNK, default_user=_history_user(user))
    replaced = [(student, guardians) for student, guardians in chunk if student._guardians_changed]
    if replaced:
        # a queryset delete: the guardians' history records each removal
        StudentGuardian.objects.filter(student__in=[student for student, _g in replaced]).delete()
        new = []
        for student, guardians in replaced:
            for guardian in guardians:
                guardian.student = student
                new.append(guardian)
        bulk_create_with_history(new, StudentGuardian, batch_size=CHUNK, default_user=_history_user(user))


# Spreadsheet values → stored values
ID_TYPES = {label: value for value, label in (
    (IdType.RESIDENT_ID, "居民身份证"), (IdType.RESIDENT_ID, "身份证"), (IdType.HK_MACAO_PERMIT, "港澳居民居住证"),
    (IdType.TAIWAN_PERMIT, "台湾居民居住证"), (IdType.FOREIGN_PERMANENT, "外国人永久居留身份证"),
    (IdType.PASSPORT, "护照"),
)} | {value: value for value in IdType.values}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}
RELATIONSHIPS = {
    "父亲": Relationship.FATHER, "母亲": Relationship.MOTHER, "祖父母": Relationship.GRANDPARENT,
    "外祖父母": Relationship.GRANDPARENT, "其他监护人": Relationship.OTHER_GUARDIAN,
    "其他": Relationship.OTHER_GUARDIAN,
} | {value: value for value in Relationship.values}


def _record_from_row(values: dict) -> StudentRecord:
    t = {key: text(value) for key, value in values.items()}
    id_type = ID_TYPES.get(t["id_type"] or "居民身份证")
    if id_type is None:
        raise ValidationError(_("“%(value)s” is not an ID type.") % {"value": t["id_type"]})
    gender = GENDERS.get(t["gender"].lower(), "") if t["gender"] else ""
    if t["gender"] and not gender:
        raise ValidationError(_("“%(value)s” is not 男 or 女.") % {"value": t["gender"]})
    guardians = []
    for n in (1, 2):
        name = t[f"guardian{n}_name"]
        if not name:
            continue
        written = t[f"guardian{n}_relationship"]
        relationship = RELATIONSHIPS.get(written, "") if written else ""
        if written and not relationship:
            raise ValidationError(_("“%(value)s” is not a relationship.") % {"value": written})
        guardians.append(GuardianRecord(name=name, relationship=relationship, phone=t[f"guardian{n}_phone"],
                                        id_number=t[f"guardian{n}_id_number"]))
    return StudentRecord(
        education_id=t["education_id"],
        name=t["name"],
        graduating_school=t["graduating_school"],
        id_type=id_type,
        id_number=t["id_number"],
        birth_date=date(values["birth_date"]),
        gender=gender,
        hukou_province=t["hukou_province"],
        hukou_district=t["hukou_district"],
        hukou_address=t["hukou_address"],
        graduating_class=t["graduating_class"],
        mobile=t["mobile"],
        guardians=tuple(guardians),
    )
