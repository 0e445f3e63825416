//! Items: what a centre or committee keeps — durable things lent and returned (balls, skis,
//! rakes), consumables issued and used up (rubbish bags, gloves, seedlings).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::access::Owner;
use crate::error::{ErrorCode, Field, FieldError, ValidationErrors};
use crate::id::RecordId;
use crate::text::BoundedText;
use crate::values::keep;

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
