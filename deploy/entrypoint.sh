#!/bin/sh
# The image's processes: web (uvicorn), worker, beat, migrate, or any command (manage.py ...).
set -eu
cd /app
case "${1:-web}" in
web)
    # This image's static files join the shared volume nginx serves (old hashed names stay, so
    # pages rendered by a previous release still find theirs during a rolling update).
    cp -R /app/staticfiles/. "${STATIC_ROOT}/"
    # Only nginx reaches port 8000 (the compose network; a firewall elsewhere), and nginx replaces
    # X-Forwarded-For, so every peer may be trusted for the proxy headers.
    exec uvicorn clean_care.asgi:application --host 0.0.0.0 --port 8000 \
        --lifespan off --no-access-log --ws-max-size 65536 --ws-per-message-deflate false \
        --proxy-headers --forwarded-allow-ips "*" \
        --timeout-graceful-shutdown 20
    ;;
worker)
    exec celery -A clean_care worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}"
    ;;
beat)
    exec celery -A clean_care beat --loglevel INFO
    ;;
migrate)
    exec python manage.py migrate --noinput
    ;;
*)
    exec "$@"
    ;;
esac
