# The two commands of the course:
#   make lab    open the notebooks in JupyterLab (http://127.0.0.1:8888, with a token)
#   make test   run the unit tests, every notebook and lint (what CI runs)
# Both create .venv with Python 3.11 and install requirements.txt + nnlib (editable) first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Quiet TensorFlow's C++ logs in tests and notebooks (level 2 still shows an ERROR line,
# "NodeDef mentions attribute use_unbounded_threadpool", as a red box in JupyterLab).
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: lab test unit notebooks lint robust sweep bench html hub bench-class student teacher release report clean help

help:
	@echo "make lab     - start JupyterLab on notebooks/ (prints the URL to open)"
	@echo "make test    - unit tests, every notebook with nbval, lint; reports all failures"
	@echo "make robust  - every notebook again with other seeds and TensorFlow's other CPU kernels"
	@echo "make sweep   - every notebook check on chance over 200 seeds (30 for Keras)"
	@echo "make bench   - benchmarks (nnlib vs Keras, widget latency)"
	@echo "make html    - execute every notebook into the course site in _site/"
	@echo "make hub     - a JupyterHub for a class on 127.0.0.1:8000 (nbgrader exchange)"
	@echo "make student - nbgrader course in build/course and the student notebooks in student/"
	@echo "make teacher - the teacher's notebooks (solutions merged in) in build/teacher/"
	@echo "make release - what students get (no solutions, no tests) in build/release/"
	@echo "make report ASSIGNMENT=03_learning_backprop - after autograde, what it found"

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), \
	  "Python 3.11 or newer is needed, found " + sys.version.split()[0]' \
	  || { echo "Install Python 3.11 (or set PYTHON=/path/to/python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt install python3.11-venv"; exit 1; }

$(STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# nbgrader, for teachers and the tests (students' `make lab` does not need it).
TEACHER_STAMP := $(VENV)/.teacher-installed
$(TEACHER_STAMP): requirements-teacher.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-teacher.txt
	@touch $(TEACHER_STAMP)

# JupyterHub for a class on this machine, on 127.0.0.1:8000 (hub/jupyterhub_config.py):
# every user logs in with $(HUB_PASSWORD); teachers (HUB_TEACHERS) are admins.
HUB_STAMP := $(VENV)/.hub-installed
$(HUB_STAMP): requirements-hub.txt hub/package.json hub/package-lock.json $(TEACHER_STAMP)
	$(PY) -m pip install --quiet -r requirements-hub.txt
	cd hub && npm ci --silent --no-audit --no-fund
	@touch $(HUB_STAMP)

lab: $(STAMP)
	@TOKEN=$$($(PY) -c 'import secrets; print(secrets.token_hex(24))'); \
	echo ""; \
	echo "  Open this URL in your browser (Ctrl+C here stops the server):"; \
	echo "  http://127.0.0.1:$(PORT)/lab/tree/00_start_here.ipynb?token=$$TOKEN"; \
	echo ""; \
	unset MPLBACKEND; \
	ROOT_FLAG=$$([ "$$(id -u)" = 0 ] && echo --allow-root); \
	JUPYTER_TOKEN=$$TOKEN exec $(PY) -m jupyterlab --no-browser --ip=127.0.0.1 \
	  --port=$(PORT) --ServerApp.port_retries=0 --ServerApp.root_dir=notebooks $$ROOT_FLAG

# Two pytest workers (the machine's cores); one thread each for TensorFlow and BLAS so
# two notebooks do not fight over the same cores. JOBS=1 runs one at a time.
JOBS ?= 2
ONE_THREAD := TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 OMP_NUM_THREADS=1 \
  OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
XDIST = $(if $(filter 1,$(JOBS)),,-n $(JOBS))

# The tests and every >>> example in the docstrings of nnlib and the course (with the
# hub's packages: tests/test_hub.py runs nbgrader's exchange on a JupyterHub).
unit: $(HUB_STAMP)
	MPLBACKEND=Agg $(ONE_THREAD) $(PY) -m pytest $(XDIST) $(if $(XDIST),--dist loadfile) \
	  --doctest-modules nnlib course tests

# Each notebook runs once, top to bottom in a fresh kernel, as students get it (tasks not
# done) and as the teacher's version (solutions merged in, hidden tests that must pass);
# --dist loadscope keeps one notebook's cells on one worker; a cell that writes to stderr
# fails (tests/nbval_stderr.py). The student's library (my_network.py) is built first from
# the teacher's solutions, and nnlib's stand-ins are off: 03, 04 and 07 train the article's
# model on the student's code alone.
notebooks: $(STAMP) teacher
	@rm -rf build/my_network
	export NNLIB_MY_NETWORK=$(abspath build/my_network/my_network.py) NNLIB_STAND_INS=0; \
	$(PY) tools/classroom.py library --out $$NNLIB_MY_NETWORK && \
	cd notebooks && PYTHONPATH=$(abspath tests) $(ONE_THREAD) $(abspath $(PY)) -m pytest \
	  --nbval-lax --nbval-current-env -p nbval_stderr \
	  --nbval-cell-timeout=300 -p no:cacheprovider $(XDIST) $(if $(XDIST),--dist loadscope) \
	  . ../build/teacher

teacher: $(STAMP)
	@rm -rf build/teacher
	$(PY) tools/classroom.py teacher --out build/teacher

# ruff on the code and notebooks, actionlint on the GitHub workflow (both always run).
lint: $(STAMP)
	@status=0; \
	$(PY) -m ruff check nnlib course hub tests benchmarks tools notebooks || status=1; \
	$(VENV)/bin/actionlint -color=false .github/workflows/*.yml && echo "actionlint: ok" || status=1; \
	exit $$status

# Every part runs even when an earlier one fails; the summary names each failed part.
test: $(STAMP)
	@failed=""; \
	$(MAKE) --no-print-directory unit || failed="$$failed unit"; \
	$(MAKE) --no-print-directory notebooks || failed="$$failed notebooks"; \
	$(MAKE) --no-print-directory lint || failed="$$failed lint"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: unit tests, notebooks and lint all passed"

# make robust: (1) every notebook under four settings (other seeds, all threads, other CPU
# kernels); (2) a seed sweep: every notebook on 20 seeds from FIRST_SEED, those that train
# Keras on 5 under both TensorFlow kernels, each failing check counted; (3) make sweep;
# (4) every notebook in JupyterLab in Chromium: no traceback, widget error or stderr.
FIRST_SEED ?= 1000
robust: $(TEACHER_STAMP)
	@failed=""; \
	$(PY) tools/robust.py --jobs $(JOBS) || failed="$$failed settings"; \
	$(PY) tools/robust.py --jobs $(JOBS) --sweep $(FIRST_SEED) 20 5 \
	  --out build/robust/sweep || failed="$$failed seed-sweep"; \
	$(MAKE) --no-print-directory sweep || failed="$$failed sweep"; \
	BROWSER_ALL=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_browser.py \
	  -k every_notebook || failed="$$failed browser"; \
	if [ -n "$$failed" ]; then echo "make robust: FAILED:$$failed"; exit 1; fi; \
	echo "make robust: every setting, the seed sweep and every claim's sweep passed"

# Every check on chance in the notebooks, swept over 200 seeds (30 for trained Keras
# models): one line per check in build/robust/claims.txt (make test runs 2 seeds and 1).
sweep: $(STAMP)
	@mkdir -p build/robust && rm -f build/robust/claims.txt
	SWEEP_SEEDS=200 KERAS_SWEEP_SEEDS=30 SWEEP_REPORT=$(abspath build/robust/claims.txt) \
	  MPLBACKEND=Agg $(ONE_THREAD) $(PY) -m pytest $(XDIST) $(if $(XDIST),--dist loadfile) \
	  -q -p no:cacheprovider tests/claims
	@echo "each check's failure count: build/robust/claims.txt"

bench: $(STAMP)
	$(PY) benchmarks/bench_fit.py
	MPLBACKEND=Agg $(PY) benchmarks/bench_widgets.py

HUB_PASSWORD ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(9))')
hub: $(HUB_STAMP)
	@echo "JupyterHub on http://127.0.0.1:$${HUB_PORT:-8000}: any user name, password $(HUB_PASSWORD)"
	cd hub && HUB_PASSWORD=$(HUB_PASSWORD) exec $(abspath $(VENV))/bin/jupyterhub \
	  -f jupyterhub_config.py

# Simulated students on a hub of their own: latency and memory for N = 1 ... 40.
bench-class: $(HUB_STAMP)
	$(PY) benchmarks/bench_class.py

html: $(TEACHER_STAMP)
	$(PY) tools/build_html.py --out _site

# COURSE: where the nbgrader course lives (its gradebook and submissions stay there).
COURSE ?= build/course
student: $(TEACHER_STAMP)
	@rm -rf $(COURSE)/source $(COURSE)/release student
	$(PY) tools/classroom.py student --out student --course $(COURSE)

# What students get (Binder, nbgitpuller, a clone): notebooks and nnlib, no solutions or
# tests. Publish it as its own repository or branch (README, "Grading a class").
release: $(STAMP)
	$(PY) tools/classroom.py release --out build/release

# After nbgrader autograde: one line per student (dropped statements, deleted or changed
# locked cells, time-outs, copies of nnlib, tampering). ASSIGNMENT=03_learning_backprop
report: $(TEACHER_STAMP)
	$(PY) tools/classroom.py report --course $(COURSE) $(ASSIGNMENT)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache _site _site.book student screenshots build \
	  hub/node_modules hub/state hub/homes hub/exchange
