//! Reading the values of the runner's options, shared by its commands. Each error is one
//! line that names the option.

use twin::Scenario;

/// The text given after option `name`.
pub fn value<'a>(name: &str, text: Option<&'a String>) -> Result<&'a str, String> {
    text.map(String::as_str)
        .ok_or_else(|| format!("{name} needs a value"))
}

/// The whole number given after option `name`.
pub fn whole_number(name: &str, text: Option<&String>) -> Result<u64, String> {
    let text = value(name, text)?;
    text.parse::<u64>().map_err(|_| {
        format!(
            "{name} must be a whole number from 0 to {}, not `{text}`",
            u64::MAX
        )
    })
}

/// The scenario given after `--scenario`.
pub fn scenario(text: Option<&String>) -> Result<Scenario, String> {
    let name = value("--scenario", text)?;
    Scenario::from_name(name)
        .ok_or_else(|| format!("--scenario must be monte-carlo or scripted, not `{name}`"))
}

/// Notes that `arg` was given, refusing it the second time.
pub fn once<'a>(seen: &mut Vec<&'a String>, arg: &'a String) -> Result<(), String> {
    if seen.contains(&arg) {
        return Err(format!("{arg} is given more than once"));
    }
    seen.push(arg);
    Ok(())
}
