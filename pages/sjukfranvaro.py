import streamlit as st

st.title("Sidan är under uppbyggnad")
st.info("Den här sidan är inte färdig ännu. Översikten visar nyckeltalen för urvalet.")
