"""DuckDB's own Python client against `duckdb serve`'s Quack server, for PythonQuackClientTests.

usage: quack_client.py EXTENSION_DIR quack:HOST:PORT TOKEN WRONG_TOKEN
Prints one JSON object: the rows read, the count after its own insert, and the error a wrong
token gets (or null if it was let in).
"""
import json
import sys

import duckdb

extension_dir, uri, token, wrong = sys.argv[1:5]


def connect(secret):
    connection = duckdb.connect(config={"extension_directory": extension_dir, "autoinstall_known_extensions": False})
    connection.execute("LOAD httpfs")
    connection.execute("LOAD quack")
    connection.execute("CREATE SECRET (TYPE quack, TOKEN $token)".replace("$token", "'" + secret.replace("'", "''") + "'"))
    return connection


client = connect(token)
client.execute(f"ATTACH '{uri}' AS remote")
rows = client.execute("SELECT i, s FROM remote.t ORDER BY i").fetchall()
client.execute("INSERT INTO remote.t VALUES (3, 'from python')")
count = client.execute("SELECT count(*) FROM remote.t").fetchone()[0]
client.close()

refused = None
intruder = connect(wrong)
try:
    intruder.execute(f"ATTACH '{uri}' AS remote")
    intruder.execute("SELECT count(*) FROM remote.t").fetchall()
except duckdb.Error as error:
    refused = str(error)
intruder.close()

print(json.dumps({"rows": rows, "count": count, "refused": refused, "version": duckdb.__version__}))
