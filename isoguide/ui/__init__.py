"""Streamlit pieces of the app: rendering, session state, sidebar, and one module per mode."""
