//! Global mute: setnospeaking, getnospeaking.

use tim_rest::openconfigsvr::{getnospeaking, setnospeaking};
use tim_rest::types::NoSpeakingTime;

use super::{require_imported, Emulated, Fail, Service};
use crate::state::{MuteEnd, State};

impl Emulated for setnospeaking::Setnospeaking {
    const SERVICE: Service = Service::Config;
    const WRITES: bool = true;

    fn apply(
        state: &mut State,
        request: setnospeaking::Request,
        now: u64,
    ) -> Result<setnospeaking::Response, Fail> {
        require_imported(
            state,
            &request.set_account,
            setnospeaking::Error::InvalidSetAccount,
            "Set_Account",
        )?;
        // At least one of the two, which the schema cannot say (a rule between fields that
        // wants one or both).
        if request.c2c_msg_nospeaking_time.is_none() && request.group_msg_nospeaking_time.is_none()
        {
            return Err(Fail::code(
                setnospeaking::Error::NoMuteTimeGiven,
                "neither GroupmsgNospeakingTime nor C2CmsgNospeakingTime was given",
            ));
        }
        let mute = state.mutes.entry(request.set_account).or_default();
        if let Some(time) = request.c2c_msg_nospeaking_time {
            mute.c2c = MuteEnd::after(time, now);
        }
        if let Some(time) = request.group_msg_nospeaking_time {
            mute.group = MuteEnd::after(time, now);
        }
        Ok(setnospeaking::Response::new())
    }
}

impl Emulated for getnospeaking::Getnospeaking {
    const SERVICE: Service = Service::Config;
    const WRITES: bool = false;

    fn apply(
        state: &mut State,
        request: getnospeaking::Request,
        now: u64,
    ) -> Result<getnospeaking::Response, Fail> {
        require_imported(
            state,
            &request.get_account,
            getnospeaking::Error::InvalidGetAccount,
            "Get_Account",
        )?;
        let mute = state
            .mutes
            .get(&request.get_account)
            .copied()
            .unwrap_or_default();
        Ok(getnospeaking::Response::new(
            mute.c2c.remaining(now),
            mute.group.remaining(now),
        ))
    }
}

impl MuteEnd {
    /// The end of a mute set now for `time`: 0 lifts it, the sentinel never ends.
    fn after(time: NoSpeakingTime, now: u64) -> Self {
        match time {
            NoSpeakingTime::UNMUTED => MuteEnd::None,
            NoSpeakingTime::FOREVER => MuteEnd::Never,
            NoSpeakingTime(seconds) => MuteEnd::At(now.saturating_add(seconds.into())),
        }
    }

    /// What getnospeaking answers: the seconds left (0 once the mute ran out), or the sentinel.
    fn remaining(self, now: u64) -> NoSpeakingTime {
        match self {
            MuteEnd::None => NoSpeakingTime::UNMUTED,
            MuteEnd::Never => NoSpeakingTime::FOREVER,
            MuteEnd::At(end) => {
                NoSpeakingTime(u32::try_from(end.saturating_sub(now)).unwrap_or(u32::MAX - 1))
            }
        }
    }
}
