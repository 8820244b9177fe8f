//! The account register (external accounts with an end date, issue "accounts that expire on time"):
//! an accepted order of a form with an `account:` key is recorded ([`record`]) in a [`store`]
//! ([`folder`] locally, DynamoDB on AWS); the desk confirms it by a signed link ([`token`]); a daily
//! run works out what each account is owed ([`plan`]) and sends it.

pub mod folder;
pub mod plan;
pub mod record;
pub mod store;
pub mod token;

pub use folder::FolderStore;
pub use record::{Account, Change, ChangeKind, Refusal, SentReminder, State};
pub use store::{MemoryStore, Register, RegisterError, RegisterStore, Stored};
pub use token::{Action, Claims, LinkKey, TokenError};
