//! The command line, as clap parses it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::input::Format;
use crate::progress::ProgressMode;
use crate::target::RegionArg;

/// tim: migrate a whole IM system (or bulk-import friend relations) into Tencent Cloud IM, run
/// a local emulator of the service, sign and check UserSigs, and print the code generated from
/// schemas.
#[derive(Debug, Parser)]
#[command(name = "tim", version, propagate_version = true)]
pub struct Cli {
    /// More log output on stderr (-v: debug, -vv: trace); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import friend relations from a JSONL or CSV file with friend_import.
    ///
    /// Each line holds one relation: From_Account plus the fields of a friend_import item
    /// (To_Account, AddSource, Remark, RemarkTime, GroupName, AddWording, AddTime,
    /// CustomItem). Exit status: 0 when everything was imported, 1 when some relations or
    /// lines are in the failures report, 2 when the run could not start or had to stop, 130
    /// when interrupted.
    Import(ImportArgs),
    /// Migrate a whole IM system from a directory of JSONL files, one per kind of record.
    ///
    /// Each line of accounts.jsonl, profiles.jsonl, friends.jsonl, blocklists.jsonl,
    /// groups.jsonl, group_members.jsonl, group_messages.jsonl, group_unread.jsonl,
    /// c2c_messages.jsonl and c2c_read.jsonl is the command's own request item in its wire
    /// names (with From_Account or GroupId beside it where the command works per account or
    /// group). Kinds go in the documented order: accounts; then profiles, friends, groups and
    /// one-to-one messages; then blocklists, group members and read marks; then group
    /// messages; then unread counts. Exit status: 0 when everything was migrated, 1 when some
    /// records or lines are in the failures report, 2 when the run could not start or stopped.
    Migrate(MigrateArgs),
    /// Run the local emulator of the service until Ctrl-C.
    Emulator(EmulatorArgs),
    /// Sign or check a UserSig.
    #[command(subcommand)]
    Usersig(UsersigCommand),
    /// Print the Rust code the schema macro generates for a schema directory.
    Codegen(CodegenArgs),
    /// Write an OpenAPI 3.1 document of every endpoint of a schema directory.
    Openapi(CodegenArgs),
}

/// Where to call and as whom.
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// The data centre of the application.
    #[arg(long, value_enum, conflicts_with = "base_url")]
    pub region: Option<RegionArg>,
    /// Call this base URL instead (a proxy, or an emulator: http://127.0.0.1:9000).
    #[arg(long)]
    pub base_url: Option<String>,
    /// The application's SDKAppID.
    #[arg(long, env = "TIM_SDKAPPID")]
    pub sdkappid: Option<u64>,
    /// The App admin identifier.
    #[arg(long, env = "TIM_ADMIN", default_value = "administrator")]
    pub admin: String,
    /// File holding the secret key (otherwise the environment variable TIM_SECRET_KEY).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Allow a plain-http base URL to a host that is not loopback (the UserSig then crosses
    /// the network in clear text).
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Timeout of one attempt, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
}

/// `tim import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The input file (.jsonl / .ndjson / .json or .csv).
    pub file: PathBuf,
    /// The input format (default: from the extension).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to call.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Start an emulator in this process (free loopback port, generated key) and import
    /// into it; implies --import-accounts.
    #[arg(long, conflicts_with_all = ["region", "base_url", "key_file"])]
    pub emulator: bool,
    /// Share of the in-process emulator's replies that fail on purpose (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.0, requires = "emulator")]
    pub emulator_fault_rate: f64,
    /// Seed of the in-process emulator's faults.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "emulator")]
    pub emulator_seed: u64,
    /// First import every account named (From_Account and To_Account) with
    /// multiaccount_import.
    #[arg(long)]
    pub import_accounts: bool,
    /// Accounts whose batches are sent at the same time (one batch per account at a time).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// friend_import calls per second at most (default: the schema's limit).
    #[arg(long, value_name = "PER_SECOND")]
    pub rate: Option<u32>,
    /// multiaccount_import calls per second at most (default: the schema's limit).
    #[arg(long, value_name = "PER_SECOND")]
    pub account_rate: Option<u32>,
    /// Relations per friend_import request (default and maximum: the schema's, 1000).
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Record settled lines in FILE and, when it exists, resume from it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The JSONL report of bad lines and refused relations (default: FILE.failures.jsonl
    /// beside the checkpoint, or tim-import-failures.jsonl; created only when needed).
    #[arg(long, value_name = "FILE")]
    pub failures: Option<PathBuf>,
    /// Read and validate the whole input; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Most attempts of one request.
    #[arg(long, default_value_t = 10)]
    pub max_attempts: u32,
    /// Most times a relation refused with a retryable code is sent again.
    #[arg(long, default_value_t = 5)]
    pub max_item_retries: u32,
    /// For unsorted input: most accounts with relations waiting in memory.
    #[arg(long, default_value_t = 10_000)]
    pub max_buffered_accounts: usize,
    /// For unsorted input: most relations waiting in memory.
    #[arg(long, default_value_t = 200_000)]
    pub max_buffered_items: usize,
    /// How to show progress on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Seconds between plain progress lines.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub progress_interval: f64,
}

/// `tim migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The directory of JSONL files.
    pub dir: PathBuf,
    /// Where to call.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Start an emulator in this process (free loopback port, generated key) and migrate
    /// into it.
    #[arg(long, conflicts_with_all = ["region", "base_url", "key_file"])]
    pub emulator: bool,
    /// Share of the in-process emulator's replies that fail on purpose (0 to 1).
    #[arg(long, value_name = "P", default_value_t = 0.0, requires = "emulator")]
    pub emulator_fault_rate: f64,
    /// Seed of the in-process emulator's faults.
    #[arg(long, value_name = "N", default_value_t = 0, requires = "emulator")]
    pub emulator_seed: u64,
    /// Only these kinds (comma-separated: accounts, profiles, friends, blocklists, groups,
    /// group_members, group_messages, group_unread, c2c_messages, c2c_read).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub only: Vec<crate::migrate::kind::Kind>,
    /// Accounts or groups written at the same time, per kind (one batch per account or
    /// group at a time).
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// Record settled lines in FILE and, when it exists, resume from it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The JSONL report of bad lines and refused records, appended across resumed runs
    /// (default: FILE.failures.jsonl beside the checkpoint, or tim-migrate-failures.jsonl).
    #[arg(long, value_name = "FILE")]
    pub failures: Option<PathBuf>,
    /// Read and check every file; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Most attempts of one request.
    #[arg(long, default_value_t = 10)]
    pub max_attempts: u32,
    /// Most times a record refused with a retryable code is sent again.
    #[arg(long, default_value_t = 5)]
    pub max_item_retries: u32,
    /// How to show progress on stderr.
    #[arg(long, value_enum, default_value_t = ProgressMode::Auto)]
    pub progress: ProgressMode,
    /// Seconds between plain progress lines.
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub progress_interval: f64,
}

/// `tim emulator`.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:9000")]
    pub addr: SocketAddr,
    /// The SDKAppID it answers for.
    #[arg(long, default_value_t = 1_400_000_000)]
    pub sdkappid: u64,
    /// The App admin identifier.
    #[arg(long, default_value = "administrator")]
    pub admin: String,
    /// File holding the secret key (default: TIM_SECRET_KEY if set, else a generated key,
    /// printed).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Keep the state in FILE: loaded at start, saved after writes and on exit.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Share of requests that fail on purpose (502, 30006, 30008, dropped connections).
    #[arg(long, value_name = "P", default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Seed of the faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Delay added to every reply, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,
    /// Only measure call rates; never answer 60007.
    #[arg(long)]
    pub no_rate_limits: bool,
}

/// `tim usersig`.
#[derive(Debug, Subcommand)]
pub enum UsersigCommand {
    /// Sign a UserSig and print it.
    Gen(UsersigGenArgs),
    /// Check a UserSig and print its claims, or the error with its service code.
    Verify(UsersigVerifyArgs),
}

/// The key and identity of a UserSig.
#[derive(Debug, Args)]
pub struct UsersigIdentity {
    /// The application's SDKAppID.
    #[arg(long, env = "TIM_SDKAPPID")]
    pub sdkappid: u64,
    /// The identifier (an App admin for REST calls).
    #[arg(long)]
    pub identifier: String,
    /// File holding the secret key (otherwise TIM_SECRET_KEY).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
}

/// `tim usersig gen`.
#[derive(Debug, Args)]
pub struct UsersigGenArgs {
    /// Whose UserSig.
    #[command(flatten)]
    pub identity: UsersigIdentity,
    /// Validity in seconds (default 180 days).
    #[arg(long, value_name = "SECS", default_value_t = 180 * 86_400)]
    pub expire: u64,
}

/// `tim usersig verify`.
#[derive(Debug, Args)]
pub struct UsersigVerifyArgs {
    /// Whose UserSig.
    #[command(flatten)]
    pub identity: UsersigIdentity,
    /// The UserSig (read from standard input when omitted or `-`).
    pub usersig: Option<String>,
}

/// `tim codegen` and `tim openapi`.
#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// A schema directory (such as schema/) or one schema file's directory.
    pub schema_dir: PathBuf,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
