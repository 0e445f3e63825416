//! Validation and protocol error codes: stable identifiers that travel over the wire and
//! are turned into a person's language by [`crate::i18n`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::measure::Measure;

/// A stable, machine-readable reason. The wire form is the snake_case name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// A required value is missing or blank.
    Required,
    /// Text longer than its limit (characters).
    TooLong,
    /// Text with control characters.
    ControlCharacters,
    /// Typed text that is not a whole number.
    NotANumber,
    /// A count below zero.
    Negative,
    /// A count below its minimum.
    TooSmall,
    /// A count above its maximum.
    TooLarge,
    /// A date that is not `YYYY-MM-DD`.
    InvalidDate,
    /// A date after today.
    DateInFuture,
    /// A date before the earliest accepted year.
    DateTooEarly,
    /// An id that is not a UUIDv7.
    InvalidId,
    /// An activity kind this version does not know.
    UnknownKind,
    /// A measure name this version does not know.
    UnknownMeasure,
    /// A known measure that the activity's kind does not count.
    MeasureNotAllowed,
    /// The body is not JSON at all.
    MalformedJson,
    /// A value of the wrong JSON type.
    WrongType,
    /// A field the record does not have.
    UnknownField,
    /// A required field is absent from the JSON.
    MissingField,
    /// The body exceeds the server's limit.
    BodyTooLarge,
    /// The request is not `application/json`.
    UnsupportedMediaType,
    /// A query parameter is not acceptable.
    BadQuery,
    /// The id is taken by a record with different contents.
    IdConflict,
    /// No such resource.
    NotFound,
    /// A change stamped further in the future than the server allows: the device's clock is
    /// wrong.
    ClockAhead,
    /// The client speaks an older protocol than the server: the app must be updated.
    UpdateRequired,
    /// Neither a phone number nor an e-mail address.
    InvalidLogin,
    /// An e-mail address whose local part or a domain label mixes scripts (a Cyrillic «а»
    /// among Latin letters): it would look like someone else's.
    MixedScripts,
    /// A new password shorter than the minimum (characters).
    PasswordTooShort,
    /// A new password that is the login itself.
    PasswordIsLogin,
    /// No session: the request needs a signed-in person.
    NotSignedIn,
    /// The session expired or was ended: the person must sign in again.
    SessionEnded,
    /// The login or the password is wrong (which of them is not told).
    WrongCredentials,
    /// Too many failed attempts at a password or a code: wait before trying again (the limit
    /// is the wait in seconds).
    TooManyAttempts,
    /// The signed-in person may not do this.
    Forbidden,
    /// An invite code that does not exist, has expired or has been used up.
    InviteInvalid,
    /// A login that belongs to someone else.
    LoginTaken,
    /// A name already used where names must differ.
    NameTaken,
    /// A record kept by a committee or centre the reference data does not have.
    UnknownOwner,
    /// A kind of record that only centres keep, for a committee.
    CentresOnly,
    /// A variant (action, campaign, direction, …) the kind does not have.
    UnknownVariant,
    /// A kind that must count something, with nothing counted.
    NothingCounted,
    /// A record of a committee or centre the person holds no role in that allows the change.
    OutOfScope,
    /// A change to someone else's record by a person who may change only their own.
    NotYourRecord,
    /// A new record made in the name of another person.
    NotYourName,
    /// A point off the globe.
    InvalidLocation,
    /// A point outside the city, not confirmed by the person.
    OutsideCity,
    /// A site kind this version does not know.
    UnknownSiteKind,
    /// A site with neither an address nor a location.
    NoPlace,
    /// More photos than a record holds.
    TooManyPhotos,
    /// A photo reference that is not one.
    InvalidPhoto,
    /// An uploaded blob whose bytes do not have the hash it was sent under.
    WrongHash,
    /// An uploaded file that is not an image the server keeps.
    UnsupportedImage,
    /// A transfer to the place the item is at.
    SamePlace,
    /// Text that is not a Russian phone number.
    InvalidPhone,
    /// A date that has passed where a future one is needed.
    DateInPast,
    /// A return of more than is out on the loan.
    ReturnsMoreThanLent,
    /// A change to a record that is never changed once made (a ledger movement).
    Immutable,
    /// More lent, issued or sent than the device shows on the shelf.
    NotInStock,
    /// Map tile coordinates that name no tile.
    InvalidTile,
    /// The current password given to change it is wrong.
    WrongPassword,
    /// A password reset code that does not exist, has expired, was used, or is for another
    /// login.
    ResetCodeInvalid,
    /// Joining without agreeing to the processing of one's personal data.
    ConsentRequired,
    /// A request the server cannot read: a path or header that is not what the API takes.
    BadRequest,
    /// A method the path does not take.
    MethodNotAllowed,
    /// The request's body did not arrive in time.
    RequestTimeout,
    /// The server is at its limit for this kind of work (checking passwords, or the database
    /// busy): try again as `Retry-After` says.
    ServerBusy,
    /// The server failed; the request may be retried.
    Internal,
}

/// Where in a record an error is: the JSON path of the field, as the form and the API name it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `id`
    Id,
    /// `kind`
    Kind,
    /// `date`
    Date,
    /// `owner`: the committee or centre
    Owner,
    /// `site_address`
    SiteAddress,
    /// `variant`
    Variant,
    /// `youth`
    Youth,
    /// `title`: a club's name
    Title,
    /// `part_of`: the club a meeting belongs to
    PartOf,
    /// `site`: the site an activity was done at
    Site,
    /// `name`: a site's name
    Name,
    /// `site_kind`
    SiteKind,
    /// `location`
    Location,
    /// `outline`
    Outline,
    /// `photos`
    Photos,
    /// `measures.<measure>` for a known measure.
    Measure(Measure),
    /// Any other path, e.g. reported by the JSON parser for an unknown key.
    Other(String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Id => f.write_str("id"),
            Field::Kind => f.write_str("kind"),
            Field::Date => f.write_str("date"),
            Field::Owner => f.write_str("owner"),
            Field::SiteAddress => f.write_str("site_address"),
            Field::Variant => f.write_str("variant"),
            Field::Youth => f.write_str("youth"),
            Field::Title => f.write_str("title"),
            Field::PartOf => f.write_str("part_of"),
            Field::Site => f.write_str("site"),
            Field::Name => f.write_str("name"),
            Field::SiteKind => f.write_str("site_kind"),
            Field::Location => f.write_str("location"),
            Field::Outline => f.write_str("outline"),
            Field::Photos => f.write_str("photos"),
            Field::Measure(m) => write!(f, "measures.{}", m.key()),
            Field::Other(path) => f.write_str(path),
        }
    }
}

/// One thing wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field at fault.
    pub field: Field,
    /// Why.
    pub code: ErrorCode,
    /// The bound that was crossed, for codes that have one (`TooLong`, `TooSmall`, `TooLarge`,
    /// `DateTooEarly`), so the message can name it.
    pub limit: Option<i64>,
}

impl FieldError {
    /// An error without a bound.
    pub fn new(field: Field, code: ErrorCode) -> Self {
        Self {
            field,
            code,
            limit: None,
        }
    }

    /// An error naming the bound that was crossed.
    pub fn with_limit(field: Field, code: ErrorCode, limit: i64) -> Self {
        Self {
            field,
            code,
            limit: Some(limit),
        }
    }
}

/// All that is wrong with a record, in field order. Invariant: never empty.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid field(s), first: {} ({:?})", .0.len(), self.first().field, self.first().code)]
pub struct ValidationErrors(Vec<FieldError>);

impl From<FieldError> for ValidationErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl ValidationErrors {
    /// `Ok` when there is nothing to report, the errors otherwise.
    pub fn check(errors: Vec<FieldError>) -> Result<(), Self> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Self(errors))
        }
    }

    /// Every error, in field order.
    pub fn all(&self) -> &[FieldError] {
        &self.0
    }

    /// The first error, which the API reports (the form shows all of them).
    pub fn first(&self) -> &FieldError {
        &self.0[0]
    }

    /// The error for a field, if there is one.
    pub fn for_field(&self, field: &Field) -> Option<&FieldError> {
        self.0.iter().find(|e| &e.field == field)
    }
}
