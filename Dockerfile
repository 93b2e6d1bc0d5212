# syntax=docker/dockerfile:1.7
# The news-ingest image: the official Airflow image plus this project (installed editable under
# /opt/news-ingest, so its sql/, dags/ and scrapy.cfg stay where the code expects them) and an installed
# vi->en translation package, built at image build time.
#
#   docker build -t news-ingest .                                   # builds the package from OPUS-MT
#   docker build --build-arg ARGOS_PACKAGE=models/vi_en.argosmodel .  # no internet: a pre-built package
#
# ARGOS_PACKAGE is a path inside the build context (keep it out of .dockerignore).

ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
# The many-to-English Tatoeba-Challenge release the README recommends (aav-eng covers Vietnamese; chrF
# 57.4 on FLORES-200 vi->en against about 53 for opus-mt vi-en; build-package adds the >>eng<< token it
# requires). Any OPUS-MT or Tatoeba-Challenge vi->en release zip works here.
ARG OPUS_MT_URL=https://object.pouta.csc.fi/Tatoeba-MT-models/aav-eng/opus4m+btTCv20210807-2021-09-30.zip
ARG OPUS_MT_MODEL_ID=opus-mt-aav-eng
# Checked when set (sha256sum of the release zip); `./run main` prints the sha256 of what it downloads.
ARG OPUS_MT_SHA256=
ARG ARGOS_PACKAGE=
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION} AS dependencies

ARG AIRFLOW_VERSION
ARG TORCH_VERSION=2.13.0
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# fsspec back ends for an object-store NEWS_DATA_URI, e.g. "s3fs" for s3:// or "gcsfs" for gs://.
ARG EXTRA_PIP_PACKAGES=

ENV NEWS_INGEST_HOME=/opt/news-ingest \
    PYTHONPATH=/opt/news-ingest \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/news-ingest/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    ARGOS_PACKAGES_DIR=/opt/argos/packages \
    XDG_DATA_HOME=/opt/airflow/.local/share \
    XDG_CACHE_HOME=/opt/airflow/.cache \
    NEWS_DATA_URI=/opt/news-data

USER root
RUN mkdir -p /opt/news-ingest /opt/argos/packages /opt/news-data \
    && chown -R airflow:0 /opt/news-ingest /opt/argos /opt/news-data \
    && chmod -R g+rwX /opt/news-data
USER airflow

# torch comes in through argostranslate -> stanza: the pinned CPU build first, or pip resolves a
# multi-GB CUDA build.
RUN pip install --no-cache-dir "torch==${TORCH_VERSION}" --index-url "${TORCH_INDEX_URL}"

# Dependencies before the code, so a code change does not reinstall them; Airflow stays pinned to the
# image's version.
COPY --chown=airflow:0 pyproject.toml /opt/news-ingest/pyproject.toml
RUN python -c "import tomllib, pathlib; \
project = tomllib.loads(pathlib.Path('/opt/news-ingest/pyproject.toml').read_text())['project']; \
pathlib.Path('/tmp/requirements.txt').write_text('\n'.join(project['dependencies'])); \
pathlib.Path('/tmp/requirements-celery.txt').write_text('\n'.join(project['optional-dependencies']['celery']))" \
    && pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" "torch==${TORCH_VERSION}" \
        -r /tmp/requirements.txt -r /tmp/requirements-celery.txt ${EXTRA_PIP_PACKAGES} \
    && rm /tmp/requirements.txt /tmp/requirements-celery.txt

# The translation package in a stage of its own, before the code: a code change does not download
# or rebuild the model (only a change of translate/ or of the release URL does), and the release zip
# never lands in the final image.
FROM dependencies AS translation-model
ARG OPUS_MT_URL
ARG OPUS_MT_SHA256
ARG OPUS_MT_MODEL_ID
ARG ARGOS_PACKAGE
RUN set -eu; \
    if [ -z "${ARGOS_PACKAGE}" ]; then \
        curl -fsSL --retry 3 -o /tmp/opus-mt-release.zip "${OPUS_MT_URL}"; \
        if [ -n "${OPUS_MT_SHA256}" ]; then echo "${OPUS_MT_SHA256}  /tmp/opus-mt-release.zip" | sha256sum -c -; fi; \
    fi
COPY --chown=airflow:0 translate /opt/news-ingest/translate
RUN --mount=type=bind,target=/build-context \
    set -eu; \
    if [ -n "${ARGOS_PACKAGE}" ]; then \
        python -m translate install "/build-context/${ARGOS_PACKAGE}"; \
    else \
        python -m translate build-package --opus-mt /tmp/opus-mt-release.zip --from vi --to en \
            --out /tmp/vi_en.argosmodel --model-id "${OPUS_MT_MODEL_ID}" --install; \
    fi; \
    python -m translate list

FROM dependencies
COPY --from=translation-model --chown=airflow:0 /opt/argos/packages /opt/argos/packages
COPY --chown=airflow:0 . /opt/news-ingest
RUN pip install --no-cache-dir --no-deps -e /opt/news-ingest

# Every container inserts its URL-encoded database passwords into its connection URLs, then runs
# the official entry point (see pipeline/deploy_env.py and docker-compose.yml).
ENTRYPOINT ["/usr/bin/dumb-init", "--", "python", "-m", "pipeline.deploy_env", "exec", "--", "/entrypoint"]
CMD []
