//! The configuration read from variable maps: defaults, every setting, and each bad value's message.

use super::*;
use guidepost_forms::Lang;
use std::collections::BTreeMap;

/// The config from `vars` as they are.
fn exactly(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

/// The config from `vars`, with `GUIDEPOST_DESKS=desks.yaml` unless a desk variable is among them.
fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let mut vars = vars.to_vec();
    if !vars.iter().any(|(k, _)| k.starts_with("GUIDEPOST_DESKS")) {
        vars.push(("GUIDEPOST_DESKS", "desks.yaml"));
    }
    exactly(&vars)
}

#[test]
fn without_desk_variables_the_sites_own_desks_are_used() {
    let config = exactly(&[]).expect("the site's desks");
    assert_eq!(config.desks, DeskSource::Content);
    let blank = exactly(&[("GUIDEPOST_DESKS", " "), ("GUIDEPOST_DESKS_JSON", "")]);
    assert_eq!(blank.expect("blank is unset").desks, DeskSource::Content);
}

#[test]
fn the_development_config_chooses_the_example_desks_explicitly() {
    let dev = Config::development().expect("development config");
    assert_eq!(dev.desks, DeskSource::Example);
    assert_eq!(dev.settings.min_fill, Duration::ZERO);
    assert_eq!(dev.settings.rate_limit, None);
    assert_eq!(dev.settings.receipts_per_address_per_day, 1000);
    let deployed = config(&[]).expect("defaults");
    assert_eq!(
        Config {
            desks: DeskSource::Example,
            settings: Settings {
                min_fill: Duration::ZERO,
                rate_limit: None,
                receipts_per_address_per_day: DEVELOPMENT_RECEIPTS_PER_ADDRESS,
                ..deployed.settings.clone()
            },
            ..deployed
        },
        dev,
        "every other default is the one from_lookup uses"
    );
}

#[test]
fn defaults_are_local_and_folder_based() {
    let c = config(&[]).expect("defaults");
    assert_eq!(
        c.mail,
        MailConfig::Folder {
            dir: ".mail".into()
        }
    );
    assert_eq!(
        c.spool,
        SpoolConfig::Folder {
            dir: ".spool".into()
        }
    );
    assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
    assert_eq!(c.runtime, Runtime::Local);
    assert_eq!(c.settings.sender, DEFAULT_FOLDER_SENDER);
    assert_eq!(c.forms_path, PathBuf::from("public/forms/forms.json"));
    assert_eq!(
        c.settings.time_zones.get(Lang::Nb).iana_name(),
        Some("Europe/Oslo")
    );
    assert_eq!(
        c.settings.time_zones.get(Lang::Sv).iana_name(),
        Some("Europe/Stockholm")
    );
    assert_eq!(c.desks, DeskSource::File("desks.yaml".into()));
    assert_eq!(c.settings.min_fill, Duration::from_millis(2000));
    assert_eq!(c.settings.idempotency_window, Duration::from_secs(600));
    assert_eq!(
        c.settings.redelivery.retention,
        Duration::from_secs(7 * 24 * 3600)
    );
    assert_eq!(c.settings.redelivery.marker_ttl, Duration::from_secs(1320));
    assert_eq!(c.settings.retry.budget, Duration::from_secs(8));
    assert_eq!(
        c.settings.rate_limit,
        Some(RateLimit {
            burst: 10,
            per_minute: 10
        })
    );
    assert!(c.settings.allowed_origins.is_empty());
}

#[test]
fn ses_takes_region_endpoint_sender_and_configuration_set() {
    let c = config(&[
        ("GUIDEPOST_MAIL", "ses"),
        ("AWS_REGION", "eu-north-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ("GUIDEPOST_SENDER", "Region <formular@region.example>"),
        ("GUIDEPOST_SES_CONFIGURATION_SET", "forms"),
        ("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"),
        ("GUIDEPOST_ACTION_PREFIX", "https://forms.example/forms/"),
    ])
    .expect("ses config");
    assert_eq!(
        c.mail,
        MailConfig::Ses {
            region: "eu-north-1".into(),
            endpoint_url: Some("http://127.0.0.1:4566".into()),
            configuration_set: Some("forms".into()),
        }
    );
    assert_eq!(c.settings.sender, "Region <formular@region.example>");
    assert_eq!(c.runtime, Runtime::Lambda);
    assert_eq!(
        c.settings.rate_limit, None,
        "the client is not known under Lambda"
    );
    assert_eq!(
        c.spool,
        SpoolConfig::Folder {
            dir: "/tmp/guidepost/spool".into()
        },
        "Lambda can only write /tmp"
    );
}

#[test]
fn bad_values_fail_fast_naming_the_variable() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("GUIDEPOST_MAIL", "pigeon")],
            "GUIDEPOST_MAIL=\"pigeon\": expected `folder`, `ses` or `smtp`",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
            ],
            "GUIDEPOST_SMTP_HOST=\"\": SMTP delivery needs the relay's host name, e.g. smtp.region.example",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SMTP_HOST", "smtp.region.example"),
            ],
            "GUIDEPOST_SENDER=\"\": the relay needs a sender address it may send as",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "smtp://relay.example"),
            ],
            "GUIDEPOST_SMTP_HOST=\"smtp://relay.example\": expected a host name or IP address, without scheme or port",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "relay.example"),
                ("GUIDEPOST_SMTP_TLS", "ssl"),
            ],
            "GUIDEPOST_SMTP_TLS=\"ssl\": expected `starttls` (port 587), `tls` (port 465) or `none` (a relay on this host)",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "relay.example"),
                ("GUIDEPOST_SMTP_PORT", "70000"),
            ],
            "GUIDEPOST_SMTP_PORT=\"70000\": expected a port, 1 to 65535",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "relay.example"),
                ("GUIDEPOST_SMTP_PASSWORD", "hemligt"),
            ],
            "GUIDEPOST_SMTP_USERNAME=\"\": a password needs GUIDEPOST_SMTP_USERNAME",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "relay.example"),
                ("GUIDEPOST_SMTP_USERNAME", "formular"),
            ],
            "GUIDEPOST_SMTP_USERNAME=\"formular\": a user name needs GUIDEPOST_SMTP_PASSWORD or GUIDEPOST_SMTP_PASSWORD_FILE",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "relay.example"),
                ("GUIDEPOST_SMTP_USERNAME", "formular"),
                ("GUIDEPOST_SMTP_PASSWORD", "hemligt"),
                ("GUIDEPOST_SMTP_PASSWORD_FILE", "/run/secrets/smtp"),
            ],
            "GUIDEPOST_SMTP_PASSWORD_FILE=\"\": set GUIDEPOST_SMTP_PASSWORD or GUIDEPOST_SMTP_PASSWORD_FILE, not both",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "smtp"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("GUIDEPOST_SMTP_HOST", "127.0.0.1"),
                ("GUIDEPOST_SMTP_TLS", "none"),
                ("GUIDEPOST_SMTP_USERNAME", "formular"),
                ("GUIDEPOST_SMTP_PASSWORD", "hemligt"),
            ],
            "GUIDEPOST_SMTP_TLS=\"none\": a login is never sent without TLS: use `starttls` or `tls`, or drop the login",
        ),
        (
            &[("GUIDEPOST_METRICS_ADDR", "9464")],
            "GUIDEPOST_METRICS_ADDR=\"9464\": expected an address and port, e.g. 127.0.0.1:3000",
        ),
        (
            &[("GUIDEPOST_REDELIVER_EVERY_SECS", "often")],
            "GUIDEPOST_REDELIVER_EVERY_SECS=\"often\": expected a whole number of seconds, at least 0",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "ses"),
                ("GUIDEPOST_SENDER", "a@b.example"),
            ],
            "AWS_REGION=\"\": SES needs a region, e.g. eu-north-1",
        ),
        (
            &[("GUIDEPOST_MAIL", "ses"), ("AWS_REGION", "eu-north-1")],
            "GUIDEPOST_SENDER=\"\": SES needs a verified sender address",
        ),
        (
            &[("GUIDEPOST_SENDER", "not an address")],
            "GUIDEPOST_SENDER=\"not an address\": expected `name@domain` or `Name <name@domain>`",
        ),
        (
            &[("GUIDEPOST_ADDR", "localhost")],
            "GUIDEPOST_ADDR=\"localhost\": expected an address and port, e.g. 127.0.0.1:3000",
        ),
        (
            &[("GUIDEPOST_ACTION_PREFIX", "forms")],
            "GUIDEPOST_ACTION_PREFIX=\"forms\": expected a path on the site (/forms/) or an absolute URL (https://…/forms/)",
        ),
        (
            &[("GUIDEPOST_ACTION_PREFIX", "//evil.example/")],
            "GUIDEPOST_ACTION_PREFIX=\"//evil.example/\": expected a path on the site (/forms/) or an absolute URL (https://…/forms/)",
        ),
        (
            &[("GUIDEPOST_RECEIPT_PATH_SV", "/kvitto/")],
            "GUIDEPOST_RECEIPT_PATH_SV=\"/kvitto/\": no longer used: the function shows the receipt on the form's own page ({action}/receipt); remove the variable",
        ),
        (
            &[("GUIDEPOST_TIME_ZONE_NB", "Europe/Bergen")],
            "GUIDEPOST_TIME_ZONE_NB=\"Europe/Bergen\": expected an IANA time zone, e.g. Europe/Stockholm",
        ),
        (
            &[
                ("GUIDEPOST_MAIL", "ses"),
                ("AWS_REGION", "x"),
                ("GUIDEPOST_SENDER", "a@b.example"),
                ("AWS_ENDPOINT_URL", "127.0.0.1:4566"),
            ],
            "AWS_ENDPOINT_URL=\"127.0.0.1:4566\": expected an http:// or https:// URL",
        ),
        (
            &[("GUIDEPOST_SPOOL", "s3"), ("AWS_REGION", "eu-north-1")],
            "GUIDEPOST_SPOOL_BUCKET=\"\": the S3 spool needs a bucket name",
        ),
        (
            &[("GUIDEPOST_SPOOL", "dynamo")],
            "GUIDEPOST_SPOOL=\"dynamo\": expected `folder` or `s3`",
        ),
        (
            &[("GUIDEPOST_SPOOL", "s3"), ("GUIDEPOST_SPOOL_BUCKET", "b")],
            "AWS_REGION=\"\": the S3 spool needs a region, e.g. eu-north-1",
        ),
        (
            &[
                ("GUIDEPOST_SPOOL", "s3"),
                ("GUIDEPOST_SPOOL_BUCKET", "b"),
                ("GUIDEPOST_SPOOL_PREFIX", "/abs"),
            ],
            "GUIDEPOST_SPOOL_PREFIX=\"/abs\": expected empty or a prefix like `spool/`",
        ),
        (
            &[("GUIDEPOST_RETENTION_DAYS", "0")],
            "GUIDEPOST_RETENTION_DAYS=\"0\": expected a whole number of days, at least 1",
        ),
        (
            &[("GUIDEPOST_RETENTION_DAYS", "400")],
            "GUIDEPOST_RETENTION_DAYS=\"400\": expected at most 365 days",
        ),
        (
            &[("GUIDEPOST_MIN_FILL_MS", "2s")],
            "GUIDEPOST_MIN_FILL_MS=\"2s\": expected a whole number of milliseconds, at least 0",
        ),
        (
            &[("GUIDEPOST_DELIVERY_BUDGET_MS", "10")],
            "GUIDEPOST_DELIVERY_BUDGET_MS=\"10\": expected a whole number of milliseconds, at least 100",
        ),
        (
            &[("GUIDEPOST_RATE_BURST", "0")],
            "GUIDEPOST_RATE_BURST=\"0\": expected a whole number, at least 1",
        ),
        (
            &[(
                "GUIDEPOST_ALLOWED_ORIGINS",
                "https://ok.example, evil.example/path",
            )],
            "GUIDEPOST_ALLOWED_ORIGINS=\"https://ok.example, evil.example/path\": expected origins like https://www.region.example, comma-separated",
        ),
    ];
    for (vars, message) in cases {
        let err = config(vars).expect_err(message);
        assert_eq!(err.to_string(), *message);
    }
}

#[test]
fn the_s3_spool_and_the_other_settings_are_read() {
    let c = config(&[
        ("GUIDEPOST_SPOOL", "s3"),
        ("GUIDEPOST_SPOOL_BUCKET", "forms-spool"),
        ("GUIDEPOST_SPOOL_PREFIX", "spool/"),
        ("AWS_REGION", "eu-north-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ("GUIDEPOST_DESKS_JSON", r#"{"natverk": "n@region.example"}"#),
        ("GUIDEPOST_DESKS", "ignored.yaml"),
        ("GUIDEPOST_RETENTION_DAYS", "3"),
        ("GUIDEPOST_IDEMPOTENCY_WINDOW_SECS", "60"),
        ("GUIDEPOST_MIN_FILL_MS", "0"),
        ("GUIDEPOST_DELIVERY_BUDGET_MS", "2500"),
        ("GUIDEPOST_RATE_BURST", "5"),
        ("GUIDEPOST_RATE_PER_MINUTE", "2"),
        (
            "GUIDEPOST_ALLOWED_ORIGINS",
            "https://www.region.example, HTTP://localhost:1111",
        ),
    ])
    .expect("config");
    assert_eq!(
        c.spool,
        SpoolConfig::S3 {
            bucket: "forms-spool".into(),
            prefix: "spool/".into(),
            region: "eu-north-1".into(),
            endpoint_url: Some("http://127.0.0.1:4566".into()),
        }
    );
    assert_eq!(
        c.desks,
        DeskSource::Inline(r#"{"natverk": "n@region.example"}"#.into()),
        "inline desks win over a file"
    );
    assert_eq!(
        c.settings.redelivery.retention,
        Duration::from_secs(3 * 24 * 3600)
    );
    assert_eq!(c.settings.redelivery.marker_ttl, Duration::from_secs(240));
    assert_eq!(c.settings.min_fill, Duration::ZERO);
    assert_eq!(c.settings.retry.budget, Duration::from_millis(2500));
    assert_eq!(
        c.settings.rate_limit,
        Some(RateLimit {
            burst: 5,
            per_minute: 2
        })
    );
    assert_eq!(
        c.settings.allowed_origins,
        vec![
            "https://www.region.example".to_owned(),
            "http://localhost:1111".to_owned()
        ]
    );
    let file = config(&[("GUIDEPOST_DESKS", "desks.yaml")]).expect("config");
    assert_eq!(file.desks, DeskSource::File("desks.yaml".into()));
}

#[test]
fn receipts_per_address_default_to_three_and_are_checked() {
    assert_eq!(
        config(&[])
            .expect("defaults")
            .settings
            .receipts_per_address_per_day,
        3
    );
    let one = config(&[("GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY", "1")]).expect("one");
    assert_eq!(one.settings.receipts_per_address_per_day, 1);
    let err = config(&[("GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY", "0")]).expect_err("zero");
    assert_eq!(
        err.to_string(),
        "GUIDEPOST_RECEIPTS_PER_ADDRESS_PER_DAY=\"0\": expected a whole number, at least 1"
    );
}

#[test]
fn the_local_servers_limits_have_defaults_and_are_read() {
    let defaults = config(&[]).expect("defaults").server;
    assert_eq!(defaults, crate::policy::ServerLimits::default());
    assert_eq!(defaults.header_timeout, Duration::from_secs(10));
    let set = config(&[
        ("GUIDEPOST_HEADER_TIMEOUT_SECS", "3"),
        ("GUIDEPOST_MAX_CONNECTIONS_PER_CLIENT", "2"),
    ])
    .expect("set")
    .server;
    assert_eq!(set.header_timeout, Duration::from_secs(3));
    assert_eq!(set.max_connections_per_client, 2);
    let bad = config(&[("GUIDEPOST_IDLE_TIMEOUT_SECS", "0")]).expect_err("zero");
    assert_eq!(
        bad.to_string(),
        "GUIDEPOST_IDLE_TIMEOUT_SECS=\"0\": expected a whole number of seconds, at least 1"
    );
}

#[test]
fn smtp_settings_are_read_with_defaults_by_tls_mode_and_the_password_is_never_printed() {
    let base = [
        ("GUIDEPOST_MAIL", "smtp"),
        ("GUIDEPOST_SENDER", "Formulär <formular@region.example>"),
        ("GUIDEPOST_SMTP_HOST", "smtp.region.example"),
    ];
    let c = config(&base).expect("smtp defaults");
    let MailConfig::Smtp(smtp) = c.mail else {
        panic!("expected smtp, got {:?}", c.mail);
    };
    assert_eq!((smtp.port, smtp.tls), (587, SmtpTls::StartTls));
    assert_eq!((smtp.timeout, smtp.pool_size), (Duration::from_secs(10), 4));
    assert_eq!((smtp.login, smtp.ca_file, smtp.helo), (None, None, None));
    let implicit = config(&[&base[..], &[("GUIDEPOST_SMTP_TLS", "tls")]].concat()).expect("tls");
    assert!(matches!(
        implicit.mail,
        MailConfig::Smtp(SmtpConfig {
            port: 465,
            tls: SmtpTls::Tls,
            ..
        })
    ));
    let plain = config(&[&base[..], &[("GUIDEPOST_SMTP_TLS", "none")]].concat()).expect("none");
    assert!(matches!(
        plain.mail,
        MailConfig::Smtp(SmtpConfig {
            port: 25,
            tls: SmtpTls::None,
            ..
        })
    ));
    let every = [
        ("GUIDEPOST_SMTP_PORT", "2525"),
        ("GUIDEPOST_SMTP_USERNAME", "formular"),
        ("GUIDEPOST_SMTP_PASSWORD", "hemligt-lösen"),
        ("GUIDEPOST_SMTP_CA_FILE", "/etc/guidepost/region-ca.pem"),
        ("GUIDEPOST_SMTP_HELO", "forms.region.example"),
        ("GUIDEPOST_SMTP_TIMEOUT_SECS", "5"),
        ("GUIDEPOST_SMTP_POOL_SIZE", "2"),
    ];
    let full = config(&[&base[..], &every[..]].concat()).expect("every smtp setting");
    let printed = format!("{full:?}");
    assert!(
        !printed.contains("hemligt"),
        "the password is redacted: {printed}"
    );
    assert_eq!(
        full.mail,
        MailConfig::Smtp(SmtpConfig {
            host: "smtp.region.example".into(),
            port: 2525,
            tls: SmtpTls::StartTls,
            login: Some(SmtpLogin {
                username: "formular".into(),
                password: Password::Value("hemligt-lösen".into()),
            }),
            ca_file: Some("/etc/guidepost/region-ca.pem".into()),
            helo: Some("forms.region.example".into()),
            timeout: Duration::from_secs(5),
            pool_size: 2,
        })
    );
    let file = [
        ("GUIDEPOST_SMTP_USERNAME", "formular"),
        ("GUIDEPOST_SMTP_PASSWORD_FILE", "/run/secrets/smtp"),
    ];
    let from_file = config(&[&base[..], &file[..]].concat()).expect("password file");
    assert!(matches!(
        from_file.mail,
        MailConfig::Smtp(SmtpConfig {
            login: Some(SmtpLogin {
                password: Password::File(_),
                ..
            }),
            ..
        })
    ));
}

#[test]
fn the_metrics_listener_is_off_and_redelivery_runs_every_five_minutes_by_default() {
    let c = config(&[]).expect("defaults");
    assert_eq!(c.metrics_addr, None);
    assert_eq!(c.redeliver_every, Some(Duration::from_secs(300)));
    let set = config(&[
        ("GUIDEPOST_METRICS_ADDR", "0.0.0.0:9464"),
        ("GUIDEPOST_REDELIVER_EVERY_SECS", "0"),
    ])
    .expect("set");
    assert_eq!(
        set.metrics_addr,
        Some("0.0.0.0:9464".parse().expect("addr"))
    );
    assert_eq!(
        set.redeliver_every, None,
        "0 turns the internal schedule off"
    );
}

#[test]
fn the_spool_endpoint_overrides_the_aws_endpoint_for_an_s3_compatible_store() {
    let vars = [
        ("GUIDEPOST_SPOOL", "s3"),
        ("GUIDEPOST_SPOOL_BUCKET", "guidepost-spool"),
        ("AWS_REGION", "eu-north-1"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
    ];
    let aws = config(&vars).expect("aws endpoint");
    assert!(
        matches!(&aws.spool, SpoolConfig::S3 { endpoint_url: Some(url), .. } if url == "http://127.0.0.1:5000")
    );
    let own = config(
        &[
            &vars[..],
            &[("GUIDEPOST_SPOOL_ENDPOINT", "https://s3.region.example")],
        ]
        .concat(),
    )
    .expect("spool endpoint");
    assert!(
        matches!(&own.spool, SpoolConfig::S3 { endpoint_url: Some(url), .. } if url == "https://s3.region.example")
    );
    let bad = config(
        &[
            &vars[..],
            &[("GUIDEPOST_SPOOL_ENDPOINT", "s3.region.example")],
        ]
        .concat(),
    );
    assert_eq!(
        bad.expect_err("no scheme").to_string(),
        "GUIDEPOST_SPOOL_ENDPOINT=\"s3.region.example\": expected an http:// or https:// URL"
    );
}

#[test]
fn a_short_delivery_budget_shortens_the_attempt_timeout_so_that_an_attempt_still_fits() {
    let short = config(&[("GUIDEPOST_DELIVERY_BUDGET_MS", "1000")]).expect("short budget");
    assert_eq!(short.settings.retry.budget, Duration::from_millis(1000));
    assert_eq!(
        short.settings.retry.attempt_timeout,
        Duration::from_millis(500)
    );
    let default = config(&[]).expect("defaults");
    assert_eq!(
        default.settings.retry.attempt_timeout,
        Duration::from_secs(3)
    );
}
