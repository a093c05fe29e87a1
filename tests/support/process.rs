//! Running an outside program from a test: to completion, or killed after a
//! timeout, with both pipes read while it runs so that a chatty program
//! cannot block on a full pipe.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// What a finished (or killed) command left: its status (None when it was
/// killed at the timeout), stdout and stderr.
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Runs `cmd`, feeding it `stdin` (or nothing, with stdin closed), and kills
/// it after `timeout`.
pub fn run_with_timeout(mut cmd: Command, stdin: Option<Vec<u8>>, timeout: Duration) -> Ran {
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the command starts");
    let feeder = stdin.map(|bytes| {
        let mut input = child.stdin.take().unwrap();
        thread::spawn(move || {
            let _ = input.write_all(&bytes);
        })
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("waiting for the command") {
            Some(status) => break Some(status),
            None if start.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(50)),
        }
    };
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    Ran {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}
