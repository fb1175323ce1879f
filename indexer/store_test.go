package indexer_test

import (
	"sync"

	"reportsearch/search"
)

// memStore is a search.Store in memory, keeping what was written.
type memStore struct {
	mu      sync.Mutex
	reports map[string]search.ReportData
}

func (m *memStore) Report(id string) (*search.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if rd, ok := m.reports[id]; ok {
		return &rd.Report, nil
	}
	return nil, search.ErrNotFound
}

func (m *memStore) Put(reports ...search.ReportData) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reports == nil {
		m.reports = map[string]search.ReportData{}
	}
	for _, r := range reports {
		m.reports[r.Report.ID] = r
	}
	return nil
}

func (m *memStore) Delete(ids ...string) error { return nil }
