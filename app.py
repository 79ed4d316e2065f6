"""`streamlit run app.py` from the checkout: the app itself lives in isoguide/ui/app.py."""

from isoguide.ui.app import main

main()
