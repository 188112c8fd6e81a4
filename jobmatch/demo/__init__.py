"""The demo data set: employers, vacancies, job seekers and their history, built from ESCO
in five languages (`build.py`, with the texts of `content.py`)."""
