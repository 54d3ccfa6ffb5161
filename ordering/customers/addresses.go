package customers

import (
	"context"
	"errors"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/posbridge/posbridge/store"
)

// AddressInput is what the page sends for an address (§4.3, §4.4).
type AddressInput struct {
	Name      string
	Gender    int
	Phone     string
	Address   string
	Longitude *float64
	Latitude  *float64
	IsDefault bool
}

// FieldErrors are the 400 of DRF: field → sentences.
type FieldErrors map[string][]string

func (f FieldErrors) Error() string {
	var parts []string
	for k, v := range f {
		parts = append(parts, k+": "+strings.Join(v, "; "))
	}
	return strings.Join(parts, ", ")
}

// ErrNoAddress is an address that is not the customer's (404, never 403:
// another customer's ids are not even acknowledged).
var ErrNoAddress = errors.New("地址不存在")

// Check validates the input and gives the stored form.
func (in AddressInput) Check(customerID int64) (*store.CustomerAddress, error) {
	bad := FieldErrors{}
	name, addr := strings.TrimSpace(in.Name), strings.TrimSpace(in.Address)
	if name == "" || utf8.RuneCountInString(name) > 32 {
		bad["name"] = []string{"请填写联系人（最多 32 字）"}
	}
	if addr == "" || utf8.RuneCountInString(addr) > 200 {
		bad["address"] = []string{"请填写地址（最多 200 字）"}
	}
	if in.Gender != 0 && in.Gender != 1 {
		bad["gender"] = []string{"性别须为 0（女）或 1（男）"}
	}
	phone, err := NormalizePhone(in.Phone)
	if err != nil {
		bad["phone"] = []string{ErrBadPhone.Error()}
	}
	if (in.Longitude == nil) != (in.Latitude == nil) {
		bad["longitude"] = []string{"经纬度须同时提供"}
	} else if in.Longitude != nil && (math.Abs(*in.Longitude) > 180 || math.Abs(*in.Latitude) > 90 ||
		math.IsNaN(*in.Longitude) || math.IsNaN(*in.Latitude)) {
		bad["longitude"] = []string{"经纬度超出范围"}
	}
	if len(bad) > 0 {
		return nil, bad
	}
	return &store.CustomerAddress{CustomerID: customerID, Name: name, Gender: in.Gender, Phone: phone, Address: addr,
		Longitude: in.Longitude, Latitude: in.Latitude, IsDefault: in.IsDefault}, nil
}

// AddAddress stores a new address of the customer (§4.3).
func (s *Service) AddAddress(ctx context.Context, customerID int64, in AddressInput) (*store.CustomerAddress, error) {
	a, err := in.Check(customerID)
	if err != nil {
		return nil, err
	}
	var out *store.CustomerAddress
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		id, err := tx.InsertCustomerAddress(a)
		if errors.Is(err, store.ErrTooManyAddresses) {
			return FieldErrors{"non_field_errors": {"地址数量已达上限，请先删除不用的地址"}}
		}
		if err != nil {
			return err
		}
		out, err = tx.CustomerAddress(customerID, id)
		return err
	})
	return out, err
}

// UpdateAddress replaces an address of the customer (§4.4 PUT; the HTTP
// layer merges a PATCH onto the stored one first).
func (s *Service) UpdateAddress(ctx context.Context, customerID, id int64, in AddressInput) (*store.CustomerAddress, error) {
	a, err := in.Check(customerID)
	if err != nil {
		return nil, err
	}
	a.ID = id
	var out *store.CustomerAddress
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.UpdateCustomerAddress(a); errors.Is(err, store.ErrNotFound) {
			return ErrNoAddress
		} else if err != nil {
			return err
		}
		out, err = tx.CustomerAddress(customerID, id)
		return err
	})
	return out, err
}

// SetDefaultAddress is §4.6: one default per customer.
func (s *Service) SetDefaultAddress(ctx context.Context, customerID, id int64) (*store.CustomerAddress, error) {
	var out *store.CustomerAddress
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.SetDefaultCustomerAddress(customerID, id); errors.Is(err, store.ErrNotFound) {
			return ErrNoAddress
		} else if err != nil {
			return err
		}
		var err error
		out, err = tx.CustomerAddress(customerID, id)
		return err
	})
	return out, err
}

// DeleteAddress is §4.5.
func (s *Service) DeleteAddress(ctx context.Context, customerID, id int64) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteCustomerAddress(customerID, id); errors.Is(err, store.ErrNotFound) {
			return ErrNoAddress
		} else if err != nil {
			return err
		}
		return nil
	})
}

// Addresses lists the customer's addresses, the default first (§4.1).
func (s *Service) Addresses(ctx context.Context, customerID int64) ([]store.CustomerAddress, error) {
	return s.db.CustomerAddresses(ctx, customerID)
}

// DistanceKm is the great-circle distance between two points (haversine),
// what decides a delivery's fee and scope; -1 when the address has no
// coordinates (the seed's "negative = unknown").
func DistanceKm(a *store.CustomerAddress, lon, lat float64) float64 {
	if a.Longitude == nil || a.Latitude == nil {
		return -1
	}
	const earthKm = 6371.0088
	rad := math.Pi / 180
	φ1, φ2 := *a.Latitude*rad, lat*rad
	dφ, dλ := (lat-*a.Latitude)*rad, (lon-*a.Longitude)*rad
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(h)))
}
