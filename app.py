from voiceref import create_app

app = create_app()
