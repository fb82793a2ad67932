"""Sign in (clinic mode): every page needs a login through the clinic's OpenID Connect
provider (Streamlit's st.login, configured in .streamlit/secrets.toml [auth])."""

from __future__ import annotations

import streamlit as st

import ui

ui.ensure_frame()

st.title("BackTrack")
st.write(
    "Your exercise journal is kept by your clinic. Sign in with the account your clinic "
    "gave you; your practitioner gives you an invite code the first time."
)
if ui.login_configured():
    st.button("Sign in", key="sign_in", type="primary", icon=":material/login:", on_click=st.login)
else:
    st.error(
        "Sign-in is not set up: .streamlit/secrets.toml needs an [auth] section "
        "(see the README, Clinic mode).",
        icon=":material/error:",
    )
