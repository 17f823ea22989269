"""The token shown on first launch, with its secret, so the first screen teaches the layout:
a verified HS256 signature, and findings to read (it expired in May 2024 and carries an
e-mail address). The secret is 43 bytes, so no short-secret finding; it is public, being
printed here: never use it for anything."""

EXAMPLE_SECRET = "example-secret-for-jwt-inspector-0123456789"

EXAMPLE_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImVtYWlsIjoiYWRhQGV4YW1wbGUuY29t"
    "Iiwicm9sZSI6ImFkbWluIiwiaWF0IjoxNzE2MjM1NDIyLCJleHAiOjE3MTYyMzkwMjJ9"
    ".jVsxk0l0Mc_MhRxaFfkT33yzQgIuJJo9b7ZPixWZB1o"
)
