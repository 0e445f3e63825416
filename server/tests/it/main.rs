//! The server's integration tests, one binary: each module a part of the API or a concern
//! across it, each test a real server on 127.0.0.1 with its own SQLite file (`util`).

mod database;
mod seeded;
mod util;

mod api;
mod audit;
mod auth;
mod authorization;
mod backup;
mod blobs;
mod commands;
mod device;
mod export;
mod https;
mod inventory;
mod invites;
mod logs;
mod map;
mod metrics;
mod migrate;
mod personal_data;
mod processes;
mod reference;
mod report;
mod security;
mod static_files;
mod sync;
