//! The rules every activity passes, on the device and on the server alike.

use std::collections::BTreeMap;

use dvor_core::access::{CentreId, CommitteeId, Owner};
use dvor_core::activity::{Activity, ActivityInput, ActivityKind, parse_typed_count};
use dvor_core::date::Date;
use dvor_core::error::{ErrorCode, Field, FieldError};
use dvor_core::i18n::{Lang, strings};
use dvor_core::id::RecordId;
use dvor_core::measure::Measure;
use proptest::prelude::*;

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
        measures: BTreeMap::from([("participants".to_owned(), 12), ("bags".to_owned(), 30)]),
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
    assert_eq!(activity.site_address.as_str(), "ул. Назарова, 8");
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
            |i| i.date = "1999-12-31".into(),
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
        kind in prop_oneof![Just("cleanup_day".to_owned()), "[a-z_]{0,12}"],
        date in prop_oneof!["20[0-3][0-9]-[01][0-9]-[0-3][0-9]", ".{0,12}"],
        owner in proptest::option::of(prop_oneof![
            any::<u32>().prop_map(|id| Owner::Committee(CommitteeId(id))),
            any::<u32>().prop_map(|id| Owner::Centre(CentreId(id))),
        ]),
        site_address in "\\PC{0,310}",
        measures in proptest::collection::btree_map(
            prop_oneof![Just("participants".to_owned()), Just("bags".to_owned()), Just("area_m2".to_owned()), "[a-z]{1,6}"],
            any::<i64>(),
            0..4,
        ),
    ) -> ActivityInput {
        ActivityInput {
            id: RecordId::from_parts(ms, random).to_string(),
            kind, date, owner, site_address, measures,
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

fn record_of(values: BTreeMap<String, serde_json::Value>) -> dvor_core::record::Envelope {
    use dvor_core::account::UserId;
    use dvor_core::hlc::{Hlc, NodeId};
    use dvor_core::record::{AuthorId, Envelope, RecordKind};
    let node = NodeId::from_bits(3);
    Envelope::change(
        RecordId::from_parts(1_764_028_800_000, [1; 10]),
        RecordKind::Activity,
        AuthorId::user(UserId(3)),
        Owner::Committee(CommitteeId(5)),
        Hlc::new(1_764_028_800_000, 0, node),
        values,
        Some(false),
    )
}

#[test]
fn an_activity_survives_the_trip_through_a_record() {
    let activity = valid_input().validate(today()).expect("valid");
    let record = record_of(activity.values());
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
    let errors = Activity::from_record(&record_of(values), today()).expect_err("invalid");
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
    let errors = Activity::from_record(&record_of(partial), today()).expect_err("invalid");
    assert_eq!(errors.first().field, Field::SiteAddress);
    assert_eq!(errors.first().code, ErrorCode::Required);
}
