"""Join your practitioner (clinic mode): a new login redeems an invite code, once."""

from __future__ import annotations

import streamlit as st

import ui
from backtrack.clinic.accounts import NAME_MAX, InviteError

ui.ensure_frame()
state = st.session_state

st.title("Join your practitioner")
if "join_deleted" in state:
    st.success(state.pop("join_deleted"), icon=":material/check_circle:")
st.write(
    "Your practitioner gives you an invite code (it works once, for a few days). Enter it "
    "to start your exercise journal; they will see your progress between appointments, "
    "and you can see each time they do."
)


def do_join() -> None:
    try:
        ui.join(state.join_code, state.join_name)
    except (InviteError, ValueError) as exc:
        state.join_error = str(exc)


with st.form("join_form"):
    st.text_input("Invite code", key="join_code", placeholder="XXXX-XXXX-XXXX", max_chars=40)
    st.text_input("Your name, as your practitioner knows you", key="join_name",
                  value=ui.user_name(), max_chars=NAME_MAX)  # fmt: skip
    st.form_submit_button("Join", type="primary", on_click=do_join)
if "join_error" in state:
    st.error(f"Not joined: {ui.plain(state.pop('join_error'))}.", icon=":material/error:")
