//! Items: what a centre or committee keeps — durable things lent and returned (balls, skis,
//! rakes), consumables issued and used up (rubbish bags, gloves, seedlings).

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::Owner;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::record::Envelope;
use crate::text::BoundedText;
use crate::values::{Reader, keep};

/// An item's name: «Мяч футбольный», «Мешки для мусора 120 л».
pub type ItemName = BoundedText<120>;
/// A category: «Спортинвентарь», «Инструмент», «Расходные материалы».
pub type Category = BoundedText<60>;
/// A unit counted in: «шт.», «пар», «рулон».
pub type Unit = BoundedText<20>;
/// An inventory number, as the centre's books write it.
pub type InventoryNumber = BoundedText<40>;

/// Whether an item comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// Lent and returned.
    Durable,
    /// Issued and used up.
    Consumable,
}

/// The state an item is in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Исправен.
    #[default]
    Good,
    /// Требует ремонта.
    NeedsRepair,
    /// Списан.
    WrittenOff,
}

impl ItemKind {
    /// Both kinds, in menu order.
    pub const ALL: [ItemKind; 2] = [ItemKind::Durable, ItemKind::Consumable];

    /// The wire name.
    pub fn key(self) -> &'static str {
        match self {
            ItemKind::Durable => "durable",
            ItemKind::Consumable => "consumable",
        }
    }
}

impl FromStr for ItemKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|k| k.key() == s).ok_or(())
    }
}

/// The most of one item a place keeps: a bound that catches a typo of several zeros.
pub const MAX_QUANTITY: u32 = 100_000;

/// A validated item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Made on the device that created the record.
    pub id: RecordId,
    /// What it is.
    pub name: ItemName,
    /// Its group.
    pub category: Category,
    /// What it is counted in.
    pub unit: Unit,
    /// Lent or issued.
    pub kind: ItemKind,
    /// Its number in the books, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory_number: Option<InventoryNumber>,
    /// Its state.
    #[serde(default)]
    pub condition: Condition,
    /// Below how many available a consumable is shown as running low.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_stock: Option<u32>,
    /// The centre or committee that registered it.
    pub owner: Owner,
}

/// An item as it arrives from a form or over the wire.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    /// A UUIDv7 in text form.
    pub id: String,
    /// Free text.
    pub name: String,
    /// Free text.
    pub category: String,
    /// Free text.
    pub unit: String,
    /// An [`ItemKind::key`].
    pub kind: String,
    /// Free text; blank for none.
    #[serde(default)]
    pub inventory_number: String,
    /// The state.
    #[serde(default)]
    pub condition: Condition,
    /// For consumables.
    #[serde(default)]
    pub low_stock: Option<i64>,
    /// Where it is registered.
    #[serde(default)]
    pub owner: Option<Owner>,
}

impl ItemInput {
    /// Checks every field; the item, or every error found.
    pub fn validate(&self) -> Result<Item, ValidationErrors> {
        let mut errors = Vec::new();
        let id = keep(
            &mut errors,
            self.id
                .parse::<RecordId>()
                .map_err(|_| FieldError::new(Field::Id, ErrorCode::InvalidId)),
        );
        let name = keep(&mut errors, ItemName::parse_field(&self.name, Field::Name));
        let category = keep(
            &mut errors,
            Category::parse_field(&self.category, Field::Other("category".to_owned())),
        );
        let unit = keep(
            &mut errors,
            Unit::parse_field(&self.unit, Field::Other("unit".to_owned())),
        );
        let kind = keep(
            &mut errors,
            self.kind
                .parse::<ItemKind>()
                .map_err(|()| FieldError::new(Field::Kind, ErrorCode::UnknownKind)),
        );
        let inventory_number = if self.inventory_number.trim().is_empty() {
            Some(None)
        } else {
            keep(
                &mut errors,
                InventoryNumber::parse_field(
                    &self.inventory_number,
                    Field::Other("inventory_number".to_owned()),
                )
                .map(Some),
            )
        };
        let field = || Field::Other("low_stock".to_owned());
        let low_stock = match (self.low_stock, kind) {
            (None, _) => Some(None),
            (Some(_), Some(ItemKind::Durable)) => {
                errors.push(FieldError::new(field(), ErrorCode::UnknownField));
                None
            }
            (Some(n), _) if n < 0 => {
                errors.push(FieldError::new(field(), ErrorCode::Negative));
                None
            }
            (Some(n), _) => match u32::try_from(n) {
                Ok(n) if n <= MAX_QUANTITY => Some(Some(n)),
                _ => {
                    errors.push(FieldError::with_limit(
                        field(),
                        ErrorCode::TooLarge,
                        i64::from(MAX_QUANTITY),
                    ));
                    None
                }
            },
        };
        let owner = keep(
            &mut errors,
            self.owner
                .ok_or_else(|| FieldError::new(Field::Owner, ErrorCode::Required)),
        );
        match (
            id,
            name,
            category,
            unit,
            kind,
            inventory_number,
            low_stock,
            owner,
        ) {
            (
                Some(id),
                Some(name),
                Some(category),
                Some(unit),
                Some(kind),
                Some(inventory_number),
                Some(low_stock),
                Some(owner),
            ) if errors.is_empty() => Ok(Item {
                id,
                name,
                category,
                unit,
                kind,
                inventory_number,
                condition: self.condition,
                low_stock,
                owner,
            }),
            _ => ValidationErrors::check(errors)
                .map(|()| unreachable!("a missing value always records an error")),
        }
    }
}

/// The names of an item record's fields.
const FIELDS: [&str; 7] = [
    "name",
    "category",
    "unit",
    "item_kind",
    "inventory_number",
    "condition",
    "low_stock",
];

impl Item {
    /// The values a record of this item holds: every field but the id and the owner, empty ones
    /// as null.
    pub fn values(&self) -> BTreeMap<String, Value> {
        let text = |t: Option<&str>| t.map_or(Value::Null, Value::from);
        BTreeMap::from([
            (FIELDS[0].to_owned(), Value::from(self.name.as_str())),
            (FIELDS[1].to_owned(), Value::from(self.category.as_str())),
            (FIELDS[2].to_owned(), Value::from(self.unit.as_str())),
            (FIELDS[3].to_owned(), Value::from(self.kind.key())),
            (
                FIELDS[4].to_owned(),
                text(self.inventory_number.as_ref().map(|n| n.as_str())),
            ),
            (
                FIELDS[5].to_owned(),
                serde_json::to_value(self.condition).unwrap_or(Value::Null),
            ),
            (
                FIELDS[6].to_owned(),
                self.low_stock.map_or(Value::Null, Value::from),
            ),
        ])
    }

    /// Checks a record's current values as a save does and returns the item they make.
    pub fn from_record(record: &Envelope) -> Result<Item, ValidationErrors> {
        let other = |name: &str| Field::Other(name.to_owned());
        let mut reader = Reader::new(record.values());
        let name = reader.text(FIELDS[0], Field::Name).unwrap_or_default();
        let category = reader.text(FIELDS[1], other(FIELDS[1])).unwrap_or_default();
        let unit = reader.text(FIELDS[2], other(FIELDS[2])).unwrap_or_default();
        let kind = reader.text(FIELDS[3], Field::Kind).unwrap_or_default();
        let inventory_number = reader.text(FIELDS[4], other(FIELDS[4])).unwrap_or_default();
        let condition = reader
            .typed(FIELDS[5], other(FIELDS[5]))
            .unwrap_or_default();
        let low_stock = reader.typed(FIELDS[6], other(FIELDS[6]));
        ValidationErrors::check(reader.finish())?;
        ItemInput {
            id: record.id.to_string(),
            name,
            category,
            unit,
            kind,
            inventory_number,
            condition,
            low_stock,
            owner: Some(record.owner),
        }
        .validate()
    }

    /// Reads back a record that passed [`Item::from_record`] when it was stored; `None` if it
    /// does not hold an item.
    pub fn from_stored(record: &Envelope) -> Option<Item> {
        Item::from_record(record).ok()
    }
}

/// What a new centre or committee most often keeps, for setting up a rental desk or a tool shed
/// in minutes: name, category, unit and kind.
pub const COMMON_ITEMS: [(&str, &str, &str, ItemKind); 16] = [
    ("Мяч футбольный", SPORT, "шт.", ItemKind::Durable),
    ("Мяч волейбольный", SPORT, "шт.", ItemKind::Durable),
    ("Мяч баскетбольный", SPORT, "шт.", ItemKind::Durable),
    (
        "Ракетки для настольного тенниса",
        SPORT,
        "пар",
        ItemKind::Durable,
    ),
    ("Набор для бадминтона", SPORT, "шт.", ItemKind::Durable),
    ("Дартс", GAMES, "шт.", ItemKind::Durable),
    ("Шашки", GAMES, "шт.", ItemKind::Durable),
    ("Шахматы", GAMES, "шт.", ItemKind::Durable),
    ("Обруч", SPORT, "шт.", ItemKind::Durable),
    ("Скакалка", SPORT, "шт.", ItemKind::Durable),
    ("Лыжи с палками", SPORT, "пар", ItemKind::Durable),
    ("Грабли", TOOLS, "шт.", ItemKind::Durable),
    ("Лопата", TOOLS, "шт.", ItemKind::Durable),
    ("Перчатки рабочие", SUPPLIES, "пар", ItemKind::Consumable),
    ("Мешки для мусора", SUPPLIES, "шт.", ItemKind::Consumable),
    ("Рассада цветов", SUPPLIES, "шт.", ItemKind::Consumable),
];

const SPORT: &str = "Спортинвентарь";
const GAMES: &str = "Настольные игры";
const TOOLS: &str = "Инструмент";
const SUPPLIES: &str = "Расходные материалы";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::CentreId;

    fn ball() -> ItemInput {
        ItemInput {
            id: RecordId::from_parts(1_764_028_800_000, [5; 10]).to_string(),
            name: "Мяч футбольный".to_owned(),
            category: "Спортинвентарь".to_owned(),
            unit: "шт.".to_owned(),
            kind: "durable".to_owned(),
            owner: Some(Owner::Centre(CentreId(1))),
            ..ItemInput::default()
        }
    }

    fn codes(input: &ItemInput) -> Vec<(String, ErrorCode)> {
        input.validate().err().map_or_else(Vec::new, |errors| {
            errors
                .all()
                .iter()
                .map(|e| (e.field.to_string(), e.code))
                .collect()
        })
    }

    #[test]
    fn an_item_needs_a_name_a_category_a_unit_and_a_kind() {
        assert!(ball().validate().is_ok());
        let blank = ItemInput {
            name: " ".to_owned(),
            kind: "rented".to_owned(),
            unit: String::new(),
            ..ball()
        };
        assert_eq!(
            codes(&blank),
            [
                ("name".to_owned(), ErrorCode::Required),
                ("unit".to_owned(), ErrorCode::Required),
                ("kind".to_owned(), ErrorCode::UnknownKind)
            ]
        );
    }

    #[test]
    fn an_item_round_trips_through_a_record_and_every_common_item_is_valid() {
        use crate::account::UserId;
        use crate::hlc::{Hlc, NodeId};
        use crate::record::{AuthorId, RecordKind};
        for (n, (name, category, unit, kind)) in COMMON_ITEMS.into_iter().enumerate() {
            let item = ItemInput {
                id: RecordId::from_parts(1_764_028_800_000, [n as u8; 10]).to_string(),
                name: name.to_owned(),
                category: category.to_owned(),
                unit: unit.to_owned(),
                kind: kind.key().to_owned(),
                low_stock: (kind == ItemKind::Consumable).then_some(20),
                ..ball()
            }
            .validate()
            .expect("a common item is valid");
            let record = Envelope::change(
                item.id,
                RecordKind::Item,
                AuthorId::user(UserId(1)),
                item.owner,
                Hlc::new(1, 0, NodeId::from_bits(1)),
                item.values(),
                Some(false),
            );
            assert_eq!(Item::from_record(&record), Ok(item));
        }
    }

    #[test]
    fn only_consumables_run_low() {
        let bags = ItemInput {
            name: "Мешки для мусора".to_owned(),
            kind: "consumable".to_owned(),
            low_stock: Some(50),
            ..ball()
        };
        assert_eq!(bags.validate().map(|i| i.low_stock), Ok(Some(50)));
        let ball_running_low = ItemInput {
            low_stock: Some(2),
            ..ball()
        };
        assert_eq!(
            codes(&ball_running_low),
            [("low_stock".to_owned(), ErrorCode::UnknownField)]
        );
        let negative = ItemInput {
            low_stock: Some(-1),
            ..bags
        };
        assert_eq!(
            codes(&negative),
            [("low_stock".to_owned(), ErrorCode::Negative)]
        );
    }
}
