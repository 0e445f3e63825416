//! The rules every activity passes, on the device and on the server alike.

use std::collections::BTreeMap;

use dvor_core::access::{CentreId, CommitteeId, Owner};
use dvor_core::activity::{Activity, ActivityInput, ActivityKind, parse_typed_count};
use dvor_core::date::Date;
use dvor_core::error::{ErrorCode, Field, FieldError};
use dvor_core::i18n::{Lang, strings};
use dvor_core::id::RecordId;
use dvor_core::kinds::{AddressNeed, KINDS, KeptBy};
use dvor_core::measure::Measure;
use dvor_core::photo::{BlobHash, PhotoRef, PhotoTag};
use proptest::prelude::*;

const COMMITTEE: Owner = Owner::Committee(CommitteeId(5));

fn today() -> Date {
    Date::from_ymd(2026, 11, 25).expect("a real date")
}

fn valid_input() -> ActivityInput {
    ActivityInput {
        id: RecordId::from_parts(1_764_028_800_000, [1; 10]).to_string(),
        kind: "cleanup_day".to_owned(),
        date: "2026-11-24".to_owned(),
        owner: Some(Owner::Committee(CommitteeId(5))),
        site_address: "ул. Назарова, 8".to_owned(),
        variant: None,
        youth: false,
        measures: BTreeMap::from([("participants".to_owned(), 12), ("bags".to_owned(), 30)]),
        ..ActivityInput::default()
    }
}

fn errors_of(input: &ActivityInput) -> Vec<(String, ErrorCode)> {
    match input.validate(today()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .all()
            .iter()
            .map(|e| (e.field.to_string(), e.code))
            .collect(),
    }
}

#[test]
fn a_valid_subbotnik_is_accepted_and_trimmed() {
    let activity = valid_input().validate(today()).expect("valid");
    assert_eq!(activity.kind, ActivityKind::CleanupDay);
    assert_eq!(activity.owner, Owner::Committee(CommitteeId(5)));
    assert_eq!(
        activity.site_address.map(|a| a.to_string()).as_deref(),
        Some("ул. Назарова, 8")
    );
    assert_eq!(
        activity
            .measures
            .get(&Measure::Participants)
            .map(|c| c.get()),
        Some(12)
    );
    assert_eq!(
        activity.measures.get(&Measure::AreaM2),
        None,
        "optional measure left out"
    );
}

#[test]
fn each_kind_of_mistake_gets_its_code_on_its_field() {
    type Case = (
        &'static str,
        fn(&mut ActivityInput),
        &'static str,
        ErrorCode,
    );
    let cases: [Case; 15] = [
        (
            "no committee",
            |i| i.owner = None,
            "owner",
            ErrorCode::Required,
        ),
        (
            "long address",
            |i| i.site_address = "д".repeat(301),
            "site_address",
            ErrorCode::TooLong,
        ),
        (
            "control char",
            |i| i.site_address = "Руд\u{0}ник".into(),
            "site_address",
            ErrorCode::ControlCharacters,
        ),
        (
            "garbage date",
            |i| i.date = "24.11.2026".into(),
            "date",
            ErrorCode::InvalidDate,
        ),
        (
            "future date",
            |i| i.date = "2026-11-27".into(),
            "date",
            ErrorCode::DateInFuture,
        ),
        (
            "old date",
            |i| i.date = "1997-12-31".into(),
            "date",
            ErrorCode::DateTooEarly,
        ),
        (
            "v4 id",
            |i| i.id = "67e55044-10b1-426f-9247-bb680e5fe0c8".into(),
            "id",
            ErrorCode::InvalidId,
        ),
        (
            "unknown kind",
            |i| i.kind = "picnic".into(),
            "kind",
            ErrorCode::UnknownKind,
        ),
        (
            "negative bags",
            |i| {
                i.measures.insert("bags".into(), -1);
            },
            "measures.bags",
            ErrorCode::Negative,
        ),
        (
            "no participants",
            |i| {
                i.measures.insert("participants".into(), 0);
            },
            "measures.participants",
            ErrorCode::TooSmall,
        ),
        (
            "absurd bags",
            |i| {
                i.measures.insert("bags".into(), 100_001);
            },
            "measures.bags",
            ErrorCode::TooLarge,
        ),
        (
            "beyond u32",
            |i| {
                i.measures.insert("bags".into(), i64::MAX);
            },
            "measures.bags",
            ErrorCode::TooLarge,
        ),
        (
            "missing bags",
            |i| {
                i.measures.remove("bags");
            },
            "measures.bags",
            ErrorCode::Required,
        ),
        (
            "unknown measure",
            |i| {
                i.measures.insert("kg".into(), 1);
            },
            "measures.kg",
            ErrorCode::UnknownMeasure,
        ),
        (
            "blank address",
            |i| i.site_address = String::new(),
            "site_address",
            ErrorCode::Required,
        ),
    ];
    for (name, break_it, field, code) in cases {
        let mut input = valid_input();
        break_it(&mut input);
        assert_eq!(errors_of(&input), vec![(field.to_owned(), code)], "{name}");
    }
}

#[test]
fn tomorrow_is_accepted_for_time_zones() {
    let mut input = valid_input();
    input.date = "2026-11-26".into();
    assert!(input.validate(today()).is_ok());
}

#[test]
fn all_errors_are_reported_at_once_in_field_order() {
    let input = ActivityInput {
        kind: "cleanup_day".into(),
        ..ActivityInput::default()
    };
    let fields: Vec<String> = errors_of(&input).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        [
            "id",
            "date",
            "owner",
            "site_address",
            "measures.participants",
            "measures.bags"
        ]
    );
}

#[test]
fn errors_read_in_russian_with_their_limit() {
    let t = strings(Lang::Ru);
    let error = FieldError::with_limit(Field::Measure(Measure::Bags), ErrorCode::TooLarge, 100_000);
    assert_eq!(t.field_error(&error), "Не больше 100\u{202F}000");
    assert_eq!(
        t.field_error(&FieldError::new(Field::Date, ErrorCode::DateInFuture)),
        "Дата не может быть в будущем"
    );
}

#[test]
fn typed_counts_allow_spaces_and_refuse_words() {
    assert_eq!(parse_typed_count(""), Ok(None));
    assert_eq!(parse_typed_count(" 1 200 "), Ok(Some(1200)));
    assert_eq!(parse_typed_count("-3"), Ok(Some(-3)));
    assert_eq!(parse_typed_count("12.5"), Err(ErrorCode::NotANumber));
    assert_eq!(parse_typed_count("двенадцать"), Err(ErrorCode::NotANumber));
    assert_eq!(parse_typed_count("-"), Err(ErrorCode::NotANumber));
}

#[test]
fn the_wire_form_refuses_unknown_fields() {
    let json = r#"{"id":"x","kind":"cleanup_day","date":"","owner":null,"site_address":"","colour":"red"}"#;
    assert!(serde_json::from_str::<ActivityInput>(json).is_err());
}

prop_compose! {
    fn any_input()(
        ms in 0u64..(1 << 47),
        random in any::<[u8; 10]>(),
        kind in prop_oneof![
            proptest::sample::select(ActivityKind::all().map(ActivityKind::key).collect::<Vec<_>>()).prop_map(str::to_owned),
            "[a-z_]{0,12}",
        ],
        date in prop_oneof!["20[0-3][0-9]-[01][0-9]-[0-3][0-9]", ".{0,12}"],
        owner in proptest::option::of(prop_oneof![
            any::<u32>().prop_map(|id| Owner::Committee(CommitteeId(id))),
            any::<u32>().prop_map(|id| Owner::Centre(CentreId(id))),
        ]),
        site_address in "\\PC{0,310}",
        variant in proptest::option::of(prop_oneof![
            proptest::sample::select(KINDS.iter().flat_map(|k| k.variants.iter().copied()).collect::<Vec<_>>()).prop_map(str::to_owned),
            "[a-z_]{0,8}",
        ]),
        youth in any::<bool>(),
        measures in proptest::collection::btree_map(
            prop_oneof![
                proptest::sample::select(Measure::all().map(Measure::key).collect::<Vec<_>>()).prop_map(str::to_owned),
                "[a-z]{1,6}",
            ],
            prop_oneof![0i64..20, any::<i64>()],
            0..5,
        ),
    ) -> ActivityInput {
        ActivityInput {
            id: RecordId::from_parts(ms, random).to_string(),
            kind, date, owner, site_address, variant, youth, measures,
            ..ActivityInput::default()
        }
    }
}

proptest! {
    /// Whatever arrives, validation answers without panicking; what it accepts survives the
    /// trip through JSON (to IndexedDB, to the server and back) unchanged, and is accepted
    /// again.
    #[test]
    fn accepted_activities_round_trip_and_stay_valid(input in any_input()) {
        if let Ok(activity) = input.validate(today()) {
            let json = serde_json::to_string(&activity).expect("serialisable");
            let stored: Activity = serde_json::from_str(&json).expect("reads back as an activity");
            prop_assert_eq!(&stored, &activity);
            let again: ActivityInput = serde_json::from_str(&json).expect("reads back as input");
            prop_assert_eq!(again.validate(today()), Ok(activity.clone()));
            prop_assert_eq!(ActivityInput::from(&activity), again);
            for spec in activity.kind.spec().measures {
                if let Some(count) = activity.measures.get(&spec.measure) {
                    prop_assert!((spec.min..=spec.max).contains(&count.get()));
                }
            }
        }
    }

    #[test]
    fn typed_counts_read_back_what_was_written(n in any::<i64>().prop_filter("no i64::MIN", |n| *n != i64::MIN)) {
        prop_assert_eq!(parse_typed_count(&n.to_string()), Ok(Some(n)));
    }
}

fn record_of(
    owner: Owner,
    values: BTreeMap<String, serde_json::Value>,
) -> dvor_core::record::Envelope {
    use dvor_core::account::UserId;
    use dvor_core::hlc::{Hlc, NodeId};
    use dvor_core::record::{AuthorId, Envelope, RecordKind};
    let node = NodeId::from_bits(3);
    Envelope::change(
        RecordId::from_parts(1_764_028_800_000, [1; 10]),
        RecordKind::Activity,
        AuthorId::user(UserId(3)),
        owner,
        Hlc::new(1_764_028_800_000, 0, node),
        values,
        Some(false),
    )
}

#[test]
fn an_activity_survives_the_trip_through_a_record() {
    let activity = valid_input().validate(today()).expect("valid");
    let record = record_of(activity.owner, activity.values());
    assert_eq!(
        Activity::from_record(&record, today()),
        Ok(activity.clone())
    );
    assert_eq!(Activity::from_stored(&record), Some(activity));
}

#[test]
fn a_record_with_wrong_or_unknown_fields_is_refused_field_by_field() {
    let activity = valid_input().validate(today()).expect("valid");
    let mut values = activity.values();
    values.insert("date".to_owned(), serde_json::json!(20261124));
    values.insert("colour".to_owned(), serde_json::json!("red"));
    let errors =
        Activity::from_record(&record_of(COMMITTEE, values), today()).expect_err("invalid");
    let found: Vec<(String, ErrorCode)> = errors
        .all()
        .iter()
        .map(|e| (e.field.to_string(), e.code))
        .collect();
    assert_eq!(
        found,
        vec![
            ("date".to_owned(), ErrorCode::WrongType),
            ("colour".to_owned(), ErrorCode::UnknownField),
        ]
    );
    let mut partial = activity.values();
    partial.remove("site_address");
    let errors =
        Activity::from_record(&record_of(COMMITTEE, partial), today()).expect_err("invalid");
    assert_eq!(errors.first().field, Field::SiteAddress);
    assert_eq!(errors.first().code, ErrorCode::Required);
}

#[test]
fn a_site_gives_the_place_and_photos_travel_in_the_record() {
    let site = RecordId::from_parts(1_764_028_700_000, [7; 10]);
    let photo = PhotoRef {
        tag: PhotoTag::After,
        hash: BlobHash::from_digest([1; 32]),
        thumb: BlobHash::from_digest([2; 32]),
    };
    let at_site = ActivityInput {
        site: Some(site.to_string()),
        site_address: String::new(),
        photos: vec![photo],
        ..valid_input()
    };
    let activity = at_site
        .validate(today())
        .expect("a site stands for the address");
    assert_eq!(
        (activity.site, activity.site_address.clone()),
        (Some(site), None)
    );
    let record = record_of(activity.owner, activity.values());
    assert_eq!(Activity::from_record(&record, today()), Ok(activity));

    let nowhere = ActivityInput {
        site_address: String::new(),
        ..valid_input()
    };
    assert_eq!(
        errors_of(&nowhere),
        [("site_address".to_owned(), ErrorCode::Required)]
    );
    let bad_site = ActivityInput {
        site: Some("yard-5".to_owned()),
        ..valid_input()
    };
    assert_eq!(
        errors_of(&bad_site),
        [("site".to_owned(), ErrorCode::InvalidId)]
    );
    let crowded = ActivityInput {
        photos: (0..13)
            .map(|n| PhotoRef {
                hash: BlobHash::from_digest([n; 32]),
                ..photo
            })
            .collect(),
        ..valid_input()
    };
    assert_eq!(
        errors_of(&crowded),
        [("photos".to_owned(), ErrorCode::TooManyPhotos)]
    );
}

/// The least a record of `kind` needs: its first variant, a youth flag left off, every required
/// measure at its minimum, an owner that keeps such records, a name if it is named, the record
/// it belongs to if it is a part.
fn minimal(kind: ActivityKind) -> ActivityInput {
    let spec = kind.spec();
    let owner = match spec.kept_by {
        KeptBy::Anyone => Owner::Committee(CommitteeId(5)),
        KeptBy::Centres => Owner::Centre(CentreId(2)),
    };
    let mut measures: BTreeMap<String, i64> = spec
        .measures
        .iter()
        .filter(|m| m.required)
        .map(|m| (m.measure.key().to_owned(), i64::from(m.min)))
        .collect();
    if spec.needs_a_count {
        measures.insert(spec.measures[0].measure.key().to_owned(), 1);
    }
    ActivityInput {
        kind: kind.key().to_owned(),
        owner: Some(owner),
        variant: spec.variants.first().map(|v| (*v).to_owned()),
        title: if spec.titled {
            "Умелые руки".to_owned()
        } else {
            String::new()
        },
        part_of: spec
            .part_of
            .map(|_| RecordId::from_parts(1_764_028_700_000, [4; 10]).to_string()),
        site_address: match spec.address {
            AddressNeed::Required => "ул. Весенняя, 3".to_owned(),
            AddressNeed::Optional => String::new(),
        },
        measures,
        ..valid_input()
    }
}

#[test]
fn every_kind_takes_its_least_record_and_keeps_it_through_a_record() {
    for kind in ActivityKind::all() {
        let activity = minimal(kind)
            .validate(today())
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(
            Activity::from_record(&record_of(activity.owner, activity.values()), today()),
            Ok(activity),
            "{kind}"
        );
    }
}

#[test]
fn a_kinds_variant_is_required_known_and_only_where_declared() {
    let mut action = minimal(ActivityKind::BeautificationAction);
    action.variant = None;
    assert_eq!(
        errors_of(&action),
        [("variant".to_owned(), ErrorCode::Required)]
    );
    action.variant = Some("windows_of_victory".to_owned());
    assert_eq!(
        errors_of(&action),
        [("variant".to_owned(), ErrorCode::UnknownVariant)]
    );
    let mut subbotnik = minimal(ActivityKind::CleanupDay);
    subbotnik.variant = Some("other".to_owned());
    assert_eq!(
        errors_of(&subbotnik),
        [("variant".to_owned(), ErrorCode::UnknownVariant)]
    );
}

#[test]
fn only_cultural_events_are_marked_youth() {
    let mut event = minimal(ActivityKind::CulturalEvent);
    event.youth = true;
    assert!(event.validate(today()).expect("valid").youth);
    let mut club = minimal(ActivityKind::Club);
    club.youth = true;
    assert_eq!(
        errors_of(&club),
        [("youth".to_owned(), ErrorCode::UnknownField)]
    );
}

#[test]
fn centres_alone_log_their_events_consultations_and_clubs() {
    for kind in [
        ActivityKind::CentreEvent,
        ActivityKind::Consultation,
        ActivityKind::Club,
    ] {
        let mut input = minimal(kind);
        input.owner = Some(Owner::Committee(CommitteeId(5)));
        assert_eq!(
            errors_of(&input),
            [("owner".to_owned(), ErrorCode::CentresOnly)],
            "{kind}"
        );
    }
}

#[test]
fn a_club_is_named_and_its_meeting_names_the_club() {
    let mut club = minimal(ActivityKind::Club);
    club.title = "  ".to_owned();
    assert_eq!(
        errors_of(&club),
        [("title".to_owned(), ErrorCode::Required)]
    );
    let mut session = minimal(ActivityKind::ClubSession);
    session.part_of = None;
    assert_eq!(
        errors_of(&session),
        [("part_of".to_owned(), ErrorCode::Required)]
    );
    session.part_of = Some("club-1".to_owned());
    assert_eq!(
        errors_of(&session),
        [("part_of".to_owned(), ErrorCode::InvalidId)]
    );
    let mut subbotnik = minimal(ActivityKind::CleanupDay);
    subbotnik.title = "Весенний".to_owned();
    subbotnik.part_of = Some(RecordId::from_parts(1, [1; 10]).to_string());
    assert_eq!(
        errors_of(&subbotnik),
        [
            ("title".to_owned(), ErrorCode::UnknownField),
            ("part_of".to_owned(), ErrorCode::UnknownField)
        ]
    );
}

#[test]
fn a_contest_work_must_count_something_and_an_event_may_leave_out_its_place() {
    let mut work = minimal(ActivityKind::WinterContestWork);
    work.measures.clear();
    assert_eq!(
        errors_of(&work),
        [("measures.snow_towns".to_owned(), ErrorCode::NothingCounted)]
    );
    work.measures.insert("snow_figures".to_owned(), 0);
    assert_eq!(errors_of(&work).len(), 1, "zero is nothing");
    work.measures.insert("balconies".to_owned(), 12);
    assert!(work.validate(today()).is_ok());
    let event = minimal(ActivityKind::CulturalEvent);
    assert_eq!(event.validate(today()).expect("valid").site_address, None);
    let mut subbotnik = minimal(ActivityKind::CleanupDay);
    subbotnik.site_address = " ".to_owned();
    assert_eq!(
        errors_of(&subbotnik),
        [("site_address".to_owned(), ErrorCode::Required)]
    );
}

#[test]
fn the_yard_contests_first_year_is_the_earliest_date() {
    let mut input = valid_input();
    input.date = "1998-01-01".to_owned();
    assert!(input.validate(today()).is_ok());
}
