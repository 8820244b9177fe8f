//! The account register (external accounts with an end date, issue "accounts that expire on time"):
//! an accepted order of a form with an `account:` key is recorded ([`record`]) in a [`store`]
//! ([`folder`] locally, DynamoDB on AWS); the desk confirms it by a signed link ([`token`]); a daily
//! run works out what each account is owed ([`plan`]) and sends it.

#[cfg(feature = "aws")]
pub mod dynamo;
pub mod folder;
pub mod links;
pub mod mail;
pub mod orders;
pub mod plan;
pub mod record;
pub mod store;
pub(crate) mod texts;
pub mod token;

#[cfg(feature = "aws")]
pub use dynamo::DynamoStore;
pub use folder::FolderStore;
pub use links::{LinkProblem, Links};
pub use orders::{Accounts, Intent};
pub use record::{Account, Change, ChangeKind, NewAccount, Refusal, SentReminder, State};
pub use store::{MemoryStore, Register, RegisterError, RegisterStore, Stored};
pub use token::{Action, Claims, LinkKey, TokenError};
