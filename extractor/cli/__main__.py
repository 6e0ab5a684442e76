from .app import app

app(prog_name="form4")
