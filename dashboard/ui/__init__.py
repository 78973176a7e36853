"""The Streamlit side of Article Lens: everything here may import streamlit, nothing outside may.

``dashboard/app.py`` is the frame (page config, ``main``, tab dispatch). Beside it:

- ``loaders``: the cached loaders (library, its listing, articles, tables, audit, comparison)
- ``state``: the view state, ONE mapping between the widgets and the URL
- ``guard``: the one place errors become messages (a user error's own text, else an apology and an id)
- ``page``: :class:`~dashboard.ui.page.Page`, what every view is given
- ``header``, ``sidebar``, ``widgets``: the title and figures, the sidebar, small shared widgets
- ``views/``: one module per tab, each with one ``render(page)``
"""
